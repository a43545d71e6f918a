from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, selectinload

from elearn.access import script_login_required
from elearn.courses.competencies import COMPETENCY_LABELS
from elearn.courses.files import FILE_POLICY, mimetype_of
from elearn.courses.outline import outlines
from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.learn import checks, offline, sync
from elearn.learn.attempts import (
    QuizError,
    attempt_of,
    attempts_left,
    is_late,
    open_attempt,
    result_rows,
    save_answers,
    shown_questions,
    start_attempt,
    submit_attempt,
)
from elearn.learn.completion import complete_if_done, passed_attempt
from elearn.learn.lookup import course_or_404, enrolment_or_redirect, lesson_or_404, quiz_or_404, visible
from elearn.learn.progress import (
    complete_lesson,
    course_progress,
    enrol,
    enrolment_of,
    record_view,
)
from elearn.models import Certificate, Course, CourseFile, Enrolment
from elearn.models.courses import COMPETENCIES
from elearn.questions.answers import posted_values
from elearn.timeutil import utcnow

bp = Blueprint("learn", __name__)


@bp.app_context_processor
def template_helpers():
    return {"competency_label": lambda code: COMPETENCY_LABELS.get(code, code), "posted_values": posted_values,
            "size_label": offline.size_label}


@bp.get("/courses")
def catalogue():
    q = (request.args.get("q") or "").strip()[:100]
    competency = request.args.get("competency", "")
    query = (select(Course).where(Course.current_version_id.is_not(None), Course.status == "published")
             .order_by(Course.title))
    if q:
        query = query.where(or_(Course.title.icontains(q, autoescape=True), Course.summary.icontains(q, autoescape=True)))
    if competency in COMPETENCIES:
        query = query.where(Course.competency == competency)
    courses = db.session.scalars(query).all()
    enrolments = {
        e.course_id: e for e in db.session.scalars(
            select(Enrolment).where(Enrolment.user_id == current_user.id).options(selectinload(Enrolment.progress))
        )
    }
    return render_template(
        "learn/catalogue.html", courses=courses, lessons=outlines(courses), enrolments=enrolments, q=q,
        competency=competency, competencies=COMPETENCIES, progress=course_progress,
    )


@bp.get("/courses/<slug>")
def course(slug: str):
    course = course_or_404(slug)
    enrolment = enrolment_of(current_user, course)
    version = course.current_version
    return render_template(
        "learn/course.html", course=course, enrolment=enrolment, lessons=course.active_lessons,
        progress=course_progress(enrolment, course.active_lessons),
        quiz=version.quiz_settings if version and version.quiz_questions else None,
        question_count=len(version.quiz_questions or []) if version else 0,
        download_size=offline.size(course) if enrolment and offline.downloadable(course) else None,
        offline_copy=offline.is_offline_copy(),
    )


@bp.post("/courses/<slug>/enroll")
def enroll(slug: str):
    course = course_or_404(slug)
    enrolment = enrol(current_user, course)
    db.session.commit()
    next_lesson = course_progress(enrolment, course.active_lessons).next_lesson
    if next_lesson is None:
        return redirect(url_for("learn.course", slug=slug))
    return redirect(url_for("learn.lesson", slug=slug, lesson_slug=next_lesson.slug))


@bp.get("/courses/<slug>/lessons/<lesson_slug>")
def lesson(slug: str, lesson_slug: str):
    course = course_or_404(slug)
    lesson = lesson_or_404(course, lesson_slug)
    enrolment = enrolment_or_redirect(course)
    copy = offline.is_offline_copy()
    if not copy:
        record_view(enrolment, lesson, utcnow())
        db.session.commit()
    lessons = course.active_lessons
    index = lessons.index(lesson)
    return render_template(
        "learn/lesson.html", course=course, lesson=lesson, lessons=lessons, enrolment=enrolment,
        progress=course_progress(enrolment, lessons),
        done={row.lesson_id for row in enrolment.progress if row.completed_at},
        previous=lessons[index - 1] if index else None,
        following=lessons[index + 1] if index + 1 < len(lessons) else None,
        body=checks.render_lesson(lesson, enrolment), offline_copy=copy,
    )


@bp.post("/courses/<slug>/lessons/<lesson_slug>/complete")
def complete(slug: str, lesson_slug: str):
    course = course_or_404(slug)
    lesson = lesson_or_404(course, lesson_slug)
    enrolment = enrolment_or_redirect(course)
    now = utcnow()
    complete_lesson(enrolment, lesson, now)
    certificate = complete_if_done(enrolment, now)
    db.session.commit()
    if certificate is not None:
        flash(_("Congratulations! You have completed the course."), "success")
        return redirect(url_for("learn.course", slug=slug))
    next_lesson = course_progress(enrolment, course.active_lessons).next_lesson
    if next_lesson is not None:
        return redirect(url_for("learn.lesson", slug=slug, lesson_slug=next_lesson.slug))
    return redirect(url_for("learn.quiz", slug=slug) if course.current_version.quiz_questions
                    else url_for("learn.course", slug=slug))


@bp.post("/courses/<slug>/lessons/<lesson_slug>/checks/<key>")
def answer_check(slug: str, lesson_slug: str, key: str):
    """Answer a knowledge check: a JSON reply for the page's script, or back to the lesson."""
    course = course_or_404(slug)
    lesson = lesson_or_404(course, lesson_slug)
    enrolment = enrolment_or_redirect(course)
    question = checks.find(lesson, key) or abort(404)
    result = checks.answer(enrolment, lesson, question, request.form.getlist("answer"))
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(result.as_json()), 200 if result.error is None else 400
    if result.error:
        flash(result.error, "error")
    return redirect(url_for("learn.lesson", slug=slug, lesson_slug=lesson.slug) + f"#check-{key}")


@bp.get("/courses/<slug>/quiz")
def quiz(slug: str):
    course, enrolment = quiz_or_404(slug)
    now = utcnow()
    attempt = open_attempt(enrolment)
    if attempt is not None and is_late(attempt, now):
        submit_attempt(attempt, None, now)
        db.session.commit()
        flash(_("The time was up: your attempt was graded on the answers saved in time."), "info")
        return redirect(url_for("learn.quiz_result", slug=slug, number=attempt.number))
    return render_template(
        "learn/quiz.html", course=course, enrolment=enrolment, attempt=attempt,
        settings=course.current_version.quiz_settings, attempts_left=attempts_left(enrolment),
        questions=shown_questions(attempt) if attempt else [], passed=passed_attempt(enrolment),
        progress=course_progress(enrolment, course.active_lessons),
    )


@bp.post("/courses/<slug>/quiz")
def quiz_action(slug: str):
    _course, enrolment = quiz_or_404(slug)
    now = utcnow()
    action = request.form.get("action")
    try:
        if action == "start":
            start_attempt(enrolment, now)
            db.session.commit()
            return redirect(url_for("learn.quiz", slug=slug))
        attempt = open_attempt(enrolment)
        if attempt is None:
            last = enrolment.attempts[-1] if enrolment.attempts else None
            if last is not None and action == "submit":
                # A replayed or double-clicked submit: the attempt was graded once already.
                return redirect(url_for("learn.quiz_result", slug=slug, number=last.number))
            raise QuizError(_("There is no open attempt. Start the quiz first."))
        if action == "save":
            errors = save_answers(attempt, request.form, now)
            db.session.commit()
            if request.accept_mimetypes.best == "application/json":
                return jsonify(saved=True, errors=errors)
            flash(_("Your answers have been saved."), "success")
            return redirect(url_for("learn.quiz", slug=slug))
        if action == "submit":
            late = is_late(attempt, now)
            submit_attempt(attempt, request.form, now)
            db.session.commit()
            if late:
                flash(_("The time was up: your attempt was graded on the answers saved in time."), "info")
            return redirect(url_for("learn.quiz_result", slug=slug, number=attempt.number))
    except QuizError as exc:
        db.session.rollback()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(saved=False, error=str(exc)), 409
        flash(str(exc), "error")
        return redirect(url_for("learn.quiz", slug=slug))
    abort(400)


@bp.get("/courses/<slug>/quiz/attempts/<int:number>")
def quiz_result(slug: str, number: int):
    course, enrolment = quiz_or_404(slug)
    attempt = attempt_of(enrolment, number) or abort(404)
    if attempt.status == "open":
        return redirect(url_for("learn.quiz", slug=slug))
    certificate = (db.session.scalar(select(Certificate).where(Certificate.enrolment_id == enrolment.id))
                   if enrolment.completed_at else None)
    return render_template("learn/quiz_result.html", course=course, enrolment=enrolment, attempt=attempt,
                           rows=result_rows(attempt), settings=attempt.version.quiz_settings,
                           attempts_left=attempts_left(enrolment), certificate=certificate)


@bp.get("/courses/<slug>/files/<path:path>")
def course_file(slug: str, path: str):
    """An image or document of a course, from the database, cached by its content hash."""
    file = db.session.scalar(
        select(CourseFile).join(Course).where(Course.slug == slug, CourseFile.path == path)
        .options(contains_eager(CourseFile.course))
    )
    if file is None or not offline.is_served(path) or not visible(file.course):
        abort(404)
    if request.if_none_match.contains(file.sha256):
        response = Response(status=304)
    else:
        response = Response(file.content, mimetype=mimetype_of(path))
    response.set_etag(file.sha256)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return response


@bp.get("/courses/<slug>/offline")
def offline_package(slug: str):
    """What the course page's script downloads to read the course offline."""
    course = course_or_404(slug)
    if not offline.downloadable(course) or enrolment_of(current_user, course) is None:
        abort(404)
    return jsonify(offline.package(course).as_json())


@bp.post("/offline/sync")
@script_login_required
def sync_actions():
    """Actions queued in a browser while it was offline; the reply says what became of each."""
    try:
        actions = sync.parse(request.get_json(silent=True))
    except ValueError as error:
        return jsonify(error=str(error)), 400
    outcomes = sync.apply_all(current_user, actions, utcnow())
    return jsonify(results=[outcome.as_json() for outcome in outcomes])
