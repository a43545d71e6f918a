"""The graded final quiz of a course: attempts start, save as you go, submit once, and are
graded against the attempt's version.

Late submissions: the server allows ``GRACE`` after the deadline for the request to arrive;
later than that, the attempt is graded on the answers saved before the deadline and what the
late request carried is ignored (the learner is told so).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from elearn.extensions import db
from elearn.learn.completion import complete_if_done, passed_attempt
from elearn.models import CourseVersion, Enrolment, QuizAttempt
from elearn.questions.answers import AnswerError, Grade
from elearn.questions.grading import grade_attempt
from elearn.questions.registry import type_of

GRACE = timedelta(seconds=30)
_random = random.SystemRandom()


class QuizError(ValueError):
    pass


def field_name(key: str) -> str:
    return f"q-{key}"


def questions_of(version: CourseVersion) -> dict[str, dict]:
    return {question["key"]: question for question in version.quiz_questions or []}


def open_attempt(enrolment: Enrolment) -> QuizAttempt | None:
    return next((a for a in enrolment.attempts if a.status == "open"), None)


def attempts_left(enrolment: Enrolment) -> int | None:
    limit = (enrolment.course.current_version.quiz_settings or {}).get("max_attempts")
    return None if limit is None else max(limit - len(enrolment.attempts), 0)


def is_late(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def start_attempt(enrolment: Enrolment, now: datetime, rng: random.Random = _random) -> QuizAttempt:
    """The open attempt, or a new one with its question and option order fixed now."""
    current = open_attempt(enrolment)
    if current is not None and not is_late(current, now):
        return current
    if current is not None:
        submit_attempt(current, None, now)
    if passed_attempt(enrolment) is not None:
        raise QuizError(_("You have already passed this quiz."))
    if attempts_left(enrolment) == 0:
        raise QuizError(_("You have used all your attempts at this quiz."))
    version = enrolment.course.current_version
    settings = version.quiz_settings or {}
    questions = version.quiz_questions or []
    keys = [question["key"] for question in questions]
    orders = {}
    if settings.get("shuffle"):
        rng.shuffle(keys)
        orders = {q["key"]: type_of(q).shuffle_order(q, rng) for q in questions}
    attempt = QuizAttempt(
        enrolment_id=enrolment.id,
        version_id=version.id,
        number=len(enrolment.attempts) + 1,
        started_at=now,
        deadline=now + timedelta(minutes=settings["time_limit"]) if settings.get("time_limit") else None,
        layout={"keys": keys, "orders": {k: v for k, v in orders.items() if v is not None}},
        answers={},
        status="open",
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another request started the same attempt a moment ago: use that one.
        db.session.refresh(enrolment)
        return open_attempt(enrolment) or enrolment.attempts[-1]
    db.session.expire(enrolment, ["attempts"])
    return attempt


def read_answers(attempt: QuizAttempt, form: MultiDict) -> tuple[dict, dict[str, str]]:
    """The answers a form carries for this attempt's questions, and what could not be read."""
    questions = questions_of(attempt.version)
    answers, errors = dict(attempt.answers), {}
    for key in attempt.layout["keys"]:
        question = questions[key]
        if not type_of(question).answerable or field_name(key) + "-shown" not in form:
            continue
        try:
            answers[key] = type_of(question).read(question, form.getlist(field_name(key)))
        except AnswerError as exc:
            errors[key] = str(exc)
    return answers, errors


def save_answers(attempt: QuizAttempt, form: MultiDict, now: datetime) -> dict[str, str]:
    if attempt.status != "open":
        raise QuizError(_("This attempt has already been submitted."))
    if is_late(attempt, now):
        raise QuizError(_("The time for this attempt is over; it is graded on the answers saved in time."))
    answers, errors = read_answers(attempt, form)
    attempt.answers = answers
    return errors


def submit_attempt(attempt: QuizAttempt, form: MultiDict | None, now: datetime) -> bool:
    """Grade the attempt once, whatever the number of clicks; False if it was graded before.

    The status change from "open" is a single conditional UPDATE, so of two submits at the
    same moment exactly one grades.
    """
    claimed = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.status == "open")
        .values(status="grading")
    ).rowcount
    db.session.refresh(attempt)
    if not claimed:
        return False
    if form is not None and not is_late(attempt, now):
        attempt.answers, _errors = read_answers(attempt, form)
    questions = [questions_of(attempt.version)[key] for key in attempt.layout["keys"]]
    grades, score = grade_attempt(questions, attempt.answers)
    passing = (attempt.version.quiz_settings or {}).get("passing_score", 70)
    attempt.grades = {key: grade.as_data() for key, grade in grades.items()}
    attempt.score = score
    attempt.status = "pending" if score is None else "submitted"
    attempt.passed = None if score is None else score >= passing
    attempt.submitted_at = min(now, attempt.deadline + GRACE) if attempt.deadline else now
    db.session.flush()
    if attempt.passed:
        complete_if_done(attempt.enrolment, now)
    return True


def attempt_of(enrolment: Enrolment, number: int) -> QuizAttempt | None:
    return db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.enrolment_id == enrolment.id, QuizAttempt.number == number)
    )


def shown_questions(attempt: QuizAttempt) -> list[dict]:
    """The questions of an open attempt as the learner sees them: no answer, no weight."""
    questions = questions_of(attempt.version)
    shown = []
    for key in attempt.layout["keys"]:
        question = questions[key]
        question_type = type_of(question)
        shown.append({
            "key": key,
            "name": field_name(key),
            "answerable": question_type.answerable,
            "template": question_type.template,
            "html": question["html"],
            "html_after": question["html_after"],
            "options": question_type.options(question, attempt.layout["orders"].get(key)),
            "answer": attempt.answers.get(key),
        })
    return shown


def result_rows(attempt: QuizAttempt) -> list[dict]:
    """Each question of a submitted attempt with its grade, and the right answer when the
    course lets learners see it."""
    questions = questions_of(attempt.version)
    show_answers = (attempt.version.quiz_settings or {}).get("show_answers", False)
    return [
        {
            "question": questions[key],
            "grade": Grade.from_data(attempt.grades[key]) if key in (attempt.grades or {}) else None,
            "correct_html": type_of(questions[key]).correct_answer_html(questions[key])
            if show_answers else None,
        }
        for key in attempt.layout["keys"]
    ]
