from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_date
from flask_login import current_user
from sqlalchemy import select

from elearn.access import roles_required
from elearn.errors import render_error
from elearn.evaluation import aggregates, follow_up, operations, survey
from elearn.evaluation.forms import ConfirmForm, FollowUpForm, SurveyForm
from elearn.extensions import db
from elearn.hr.filters import MAX_KEY_LENGTH, course_options
from elearn.i18n import gettext as _
from elearn.learn.lookup import course_or_404, enrolment_or_redirect
from elearn.models import Course, Enrolment, FollowUp
from elearn.models.audit import record
from elearn.spreadsheet import csv_lines
from elearn.timeutil import local_date, utcnow

bp = Blueprint("evaluation", __name__)

# Comments and follow-ups listed on a course's page; the CSV file has them all.
PAGE_LIMIT = 100


def _completed_enrolment(course: Course, not_yet: str) -> Enrolment:
    enrolment = enrolment_or_redirect(course)
    if enrolment.completed_at is None:
        flash(not_yet, "info")
        abort(redirect(url_for("learn.course", slug=course.slug)))
    return enrolment


@bp.route("/courses/<slug>/survey", methods=["GET", "POST"])
def survey_page(slug: str):
    course = course_or_404(slug)
    enrolment = _completed_enrolment(course, _("The survey opens once you have completed the course."))
    response = survey.response_of(enrolment.id)
    if response is not None:
        if request.method == "POST":
            flash(survey.already_answered(), "info")
        return render_template("evaluation/survey.html", course=course, response=response)
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            operations.submit_survey(enrolment, form.ratings(), form.comment.data)
        except operations.SurveyError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("evaluation.survey_page", slug=slug))
        db.session.commit()
        flash(_("Thank you for your answers."), "success")
        return redirect(url_for("home.index"))
    return render_template("evaluation/survey.html", course=course, form=form,
                           required=course.survey_required), 400 if form.errors else 200


@bp.route("/courses/<slug>/follow-up", methods=["GET", "POST"])
def follow_up_page(slug: str):
    course = course_or_404(slug)
    enrolment = _completed_enrolment(course, _("This question comes some time after you complete the course."))
    given = follow_up.follow_up_of(enrolment.id)
    if given is not None:
        if request.method == "POST":
            flash(follow_up.already_given(), "info")
        return render_template("evaluation/follow_up.html", course=course, given=given)
    if not follow_up.is_due(enrolment, local_date(utcnow())):
        day = follow_up.due_on(enrolment)
        flash(_("This course asks no follow-up question.") if day is None else
              _("We will ask you on %(date)s what you have applied at work.", date=format_date(day, "long")), "info")
        return redirect(url_for("home.index"))
    form = FollowUpForm()
    if form.validate_on_submit():
        try:
            given = operations.submit_follow_up(enrolment, form.applied.data, form.changed.data, local_date(utcnow()))
        except operations.FollowUpError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("evaluation.follow_up_page", slug=slug))
        db.session.commit()
        flash(_("Thank you. Your supervisor has been asked to confirm it.") if given.supervisor_id else
              _("Thank you for your answers."), "success")
        return redirect(url_for("home.index"))
    return render_template("evaluation/follow_up.html", course=course, form=form), 400 if form.errors else 200


@bp.get("/evaluation/confirm")
def confirmations():
    return render_template("evaluation/confirm.html", follow_ups=follow_up.pending_for(current_user),
                           max_note=follow_up.MAX_NOTE)


@bp.post("/evaluation/follow-ups/<int:follow_up_id>/confirm")
def confirm(follow_up_id: int):
    given = db.session.get(FollowUp, follow_up_id)
    # Only the supervisor it was sent to may see it here; to anyone else it does not exist.
    if given is None or given.supervisor_id != current_user.id:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(" ".join(form.note.errors), "error")
        return redirect(url_for("evaluation.confirmations"))
    try:
        operations.confirm(current_user, given, form.note.data, utcnow())
    except operations.FollowUpError as exc:
        flash(str(exc), "info")
    else:
        db.session.commit()
        flash(_("Thank you: the follow-up is confirmed."), "success")
    return redirect(url_for("evaluation.confirmations"))


def _viewable_course(slug: str) -> Course:
    course = db.session.scalar(select(Course).where(Course.slug == slug)) or abort(404)
    if not aggregates.may_view_course(current_user, course):
        abort(403)
    return course


@bp.get("/evaluation/courses/<slug>")
def course_report(slug: str):
    course = _viewable_course(slug)
    return render_template("evaluation/course.html", course=course,
                           evaluation=aggregates.course_evaluation(course, PAGE_LIMIT), limit=PAGE_LIMIT)


@bp.get("/evaluation/courses/<slug>.csv")
def course_file(slug: str):
    course = _viewable_course(slug)
    _log_export("course", course.id, course=course.slug)
    return _csv(f"evaluasi-{course.slug}", aggregates.COURSE_HEADERS, aggregates.course_file_rows(course))


def _course_filter() -> Course | None:
    slug = (request.args.get("course") or "").strip()[:MAX_KEY_LENGTH]
    if not slug:
        return None
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        abort(make_response(render_error(400, _("There is no course with the id “%(slug)s”.", slug=slug))))
    return course


@bp.get("/evaluation/units")
@roles_required("hr", "admin")
def unit_report():
    course = _course_filter()
    return render_template("evaluation/units.html", rows=aggregates.unit_rows(course), course=course,
                           courses=course_options())


@bp.get("/evaluation/units.csv")
@roles_required("hr", "admin")
def unit_file():
    course = _course_filter()
    _log_export("units", None, course=course.slug if course else None)
    return _csv("evaluasi-unit", aggregates.UNIT_HEADERS, aggregates.unit_file_rows(course))


def _log_export(kind: str, target_id, **details) -> None:
    """Evaluation files carry what people wrote about their work: who took which is on record."""
    record(current_user, "evaluation.export", f"evaluation_{kind}", target_id, format="csv", **details)
    db.session.commit()


def _csv(stem: str, headers, rows) -> Response:
    filename = f"{stem}-{local_date(utcnow()).isoformat()}.csv"
    return Response(stream_with_context(csv_lines(headers, rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"})
