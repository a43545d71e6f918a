from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.learn.completion import passed_attempt
from elearn.learn.grading import GRADERS, Grade
from elearn.learn.lookup import course_or_404, enrolment_or_redirect
from elearn.learn.progress import course_progress
from elearn.models import Certificate
from elearn.quiz.attempts import (
    QuizError,
    attempt_of,
    attempts_left,
    field_name,
    is_late,
    open_attempt,
    questions_of,
    save_answers,
    start_attempt,
    submit_attempt,
)
from elearn.timeutil import utcnow

bp = Blueprint("quiz", __name__)


def _enrolment(slug: str):
    course = course_or_404(slug)
    if not (course.current_version and course.current_version.quiz_questions):
        abort(404)
    return course, enrolment_or_redirect(course)


def _shown(attempt):
    """The questions of an open attempt as the learner sees them: no answer, no weight."""
    questions = questions_of(attempt.version)
    for key in attempt.layout["keys"]:
        question = questions[key]
        grader = GRADERS[question["kind"]]
        yield {
            "key": key,
            "name": field_name(key),
            "kind": question["kind"],
            "html": question["html"],
            "html_after": question["html_after"],
            "options": grader.options(question, attempt.layout["orders"].get(key)),
            "answer": attempt.answers.get(key),
        }


@bp.get("/courses/<slug>/quiz")
def quiz(slug: str):
    course, enrolment = _enrolment(slug)
    now = utcnow()
    attempt = open_attempt(enrolment)
    if attempt is not None and is_late(attempt, now):
        submit_attempt(attempt, None, now)
        db.session.commit()
        flash(_("The time was up: your attempt was graded on the answers saved in time."), "info")
        return redirect(url_for("quiz.result", slug=slug, number=attempt.number))
    return render_template(
        "quiz/quiz.html", course=course, enrolment=enrolment, attempt=attempt,
        settings=course.current_version.quiz_settings, attempts_left=attempts_left(enrolment),
        questions=list(_shown(attempt)) if attempt else [], passed=passed_attempt(enrolment),
        progress=course_progress(enrolment, course.active_lessons),
    )


@bp.post("/courses/<slug>/quiz")
def quiz_action(slug: str):
    _course, enrolment = _enrolment(slug)
    now = utcnow()
    action = request.form.get("action")
    try:
        if action == "start":
            start_attempt(enrolment, now)
            db.session.commit()
            return redirect(url_for("quiz.quiz", slug=slug))
        attempt = open_attempt(enrolment)
        if attempt is None:
            last = enrolment.attempts[-1] if enrolment.attempts else None
            if last is not None and action == "submit":
                # A replayed or double-clicked submit: the attempt was graded once already.
                return redirect(url_for("quiz.result", slug=slug, number=last.number))
            raise QuizError(_("There is no open attempt. Start the quiz first."))
        if action == "save":
            errors = save_answers(attempt, request.form, now)
            db.session.commit()
            if request.accept_mimetypes.best == "application/json":
                return jsonify(saved=True, errors=errors)
            flash(_("Your answers have been saved."), "success")
            return redirect(url_for("quiz.quiz", slug=slug))
        if action == "submit":
            late = is_late(attempt, now)
            submit_attempt(attempt, request.form, now)
            db.session.commit()
            if late:
                flash(_("The time was up: your attempt was graded on the answers saved in time."), "info")
            return redirect(url_for("quiz.result", slug=slug, number=attempt.number))
    except QuizError as exc:
        db.session.rollback()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(saved=False, error=str(exc)), 409
        flash(str(exc), "error")
        return redirect(url_for("quiz.quiz", slug=slug))
    abort(400)


@bp.get("/courses/<slug>/quiz/attempts/<int:number>")
def result(slug: str, number: int):
    course, enrolment = _enrolment(slug)
    attempt = attempt_of(enrolment, number) or abort(404)
    if attempt.status == "open":
        return redirect(url_for("quiz.quiz", slug=slug))
    questions = questions_of(attempt.version)
    show_answers = (attempt.version.quiz_settings or {}).get("show_answers", False)
    rows = [
        {
            "question": questions[key],
            "grade": Grade.from_data(attempt.grades[key]) if key in (attempt.grades or {}) else None,
            "correct_html": GRADERS[questions[key]["kind"]].correct_answer_html(questions[key])
            if show_answers else None,
        }
        for key in attempt.layout["keys"]
    ]
    certificate = (db.session.scalar(select(Certificate).where(Certificate.enrolment_id == enrolment.id))
                   if enrolment.completed_at else None)
    return render_template("quiz/result.html", course=course, enrolment=enrolment, attempt=attempt, rows=rows,
                           settings=attempt.version.quiz_settings, attempts_left=attempts_left(enrolment),
                           certificate=certificate)
