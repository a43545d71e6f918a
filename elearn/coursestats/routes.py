from flask import (
    Blueprint,
    abort,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from elearn.access import roles_required
from elearn.coursestats import essays, figures
from elearn.coursestats.access import ROLES, course_or_abort, may_see
from elearn.coursestats.forms import EssayGradeForm
from elearn.coursestats.operations import COMMENT_LIMIT, GradingError, grade_essay
from elearn.extensions import db
from elearn.hr.charts import Bar, horizontal_bars
from elearn.i18n import gettext as _
from elearn.inputs import plain_int
from elearn.models import QuizAttempt
from elearn.timeutil import utcnow

bp = Blueprint("coursestats", __name__, url_prefix="/trainer")

# The pages of one course, whose links (the shared pager's) may leave the course out.
COURSE_PAGES = {"coursestats.course", "coursestats.course_grading"}


@bp.url_defaults
def _stay_on_course(endpoint: str, values: dict) -> None:
    current = (request.view_args or {}).get("slug") if has_request_context() else None
    if endpoint in COURSE_PAGES and current and "slug" not in values:
        values["slug"] = current


def _page() -> int:
    # A page far past the end is simply empty; one past any database's integers is page 1.
    return plain_int(request.args.get("page", "1"), 10**6) or 1


@bp.get("/courses")
@roles_required(*ROLES)
def courses():
    return render_template("coursestats/courses.html", rows=figures.course_list(current_user),
                           pending=essays.pending_counts(current_user))


@bp.get("/courses/<slug>")
@roles_required(*ROLES)
def course(slug: str):
    course = course_or_abort(current_user, slug)
    stats = figures.course_figures(course)
    drop_off = figures.drop_off(course)
    page, learners = figures.learners(course, _page())
    charts = [
        horizontal_bars(title, [Bar(f"{n}. {row.lesson.title}", value(row), str(value(row)))
                                for n, row in enumerate(drop_off, 1)], stats.enrolled)
        for title, value in ((_("Learners who opened each lesson"), lambda row: row.reached),
                             (_("Learners who stopped at each lesson"), lambda row: row.stopped))
    ]
    return render_template(
        "coursestats/course.html", course=course, stats=stats, drop_off=drop_off, charts=charts,
        page=page, learners=learners, lessons=course.active_lessons, questions=figures.question_analysis(course),
        pending=essays.pending_counts(current_user).get(course.id, 0),
    )


@bp.get("/grading")
@roles_required(*ROLES)
def grading():
    page, answers = essays.pending_answers(current_user, None, _page())
    return render_template("coursestats/grading.html", course=None, page=page, answers=answers)


@bp.get("/courses/<slug>/grading")
@roles_required(*ROLES)
def course_grading(slug: str):
    course = course_or_abort(current_user, slug)
    page, answers = essays.pending_answers(current_user, course, _page())
    return render_template("coursestats/grading.html", course=course, page=page, answers=answers)


@bp.route("/grading/<int:attempt_id>/<question_key>", methods=["GET", "POST"])
@roles_required(*ROLES)
def grade(attempt_id: int, question_key: str):
    attempt = db.session.get(QuizAttempt, attempt_id) or abort(404)
    course = attempt.enrolment.course
    if not may_see(current_user, course.id):
        abort(403)
    question = essays.essay_question(attempt, question_key) or abort(404)
    form = EssayGradeForm()
    error = None
    if form.validate_on_submit():
        try:
            grade_essay(current_user, attempt, question_key, float(form.score.data), form.comment.data or "", utcnow())
        except GradingError as exc:
            db.session.rollback()
            if exc.field:
                form[exc.field].errors.append(str(exc))
            else:
                error = str(exc)
        else:
            db.session.commit()
            flash(_grading_message(attempt), "success")
            return redirect(url_for("coursestats.course_grading", slug=course.slug))
    status = 409 if error else 400 if form.errors else 200
    return render_template("coursestats/grade.html", attempt=attempt, course=course, question=question,
                           key=question_key, form=form, error=error, pending=essays.is_pending(attempt, question_key),
                           comment_limit=COMMENT_LIMIT), status


def _grading_message(attempt: QuizAttempt) -> str:
    if attempt.status == "pending":
        return _("Graded. Another answer of this attempt still waits for a grade.")
    if attempt.passed:
        return _("Graded: the attempt scores %(score)s and passes.", score=attempt.score)
    return _("Graded: the attempt scores %(score)s and does not pass.", score=attempt.score)
