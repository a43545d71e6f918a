"""Essay answers waiting for a trainer: which, on which courses, and how many.

An attempt with an essay answered waits in status "pending" (see
:func:`elearn.learn.attempts.submit_attempt`) until a trainer grades it
(:func:`elearn.coursestats.operations.grade_essay`).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from elearn.coursestats.access import visible
from elearn.extensions import db
from elearn.learn.attempts import questions_of
from elearn.models import Course, Enrolment, QuizAttempt, User
from elearn.questions.registry import type_of

ATTEMPTS_PER_PAGE = 50


@dataclass(frozen=True)
class PendingAnswer:
    attempt: QuizAttempt
    question: dict


def essay_question(attempt: QuizAttempt, key: str) -> dict | None:
    """The essay question ``key`` of the attempt's quiz, or None if it has no such essay."""
    question = questions_of(attempt.version).get(key)
    return question if question and type_of(question).graded_by_trainer else None


def is_pending(attempt: QuizAttempt, key: str) -> bool:
    return attempt.status == "pending" and bool((attempt.grades or {}).get(key, {}).get("pending"))


def pending_answers(user: User, course: Course | None, page: int | None) -> tuple[Pagination, list[PendingAnswer]]:
    """One page of pending attempts (oldest first) on the courses ``user`` may see, or on one
    course, as their answers waiting for a grade."""
    stmt = (
        select(QuizAttempt).join(QuizAttempt.enrolment)
        .options(contains_eager(QuizAttempt.enrolment).joinedload(Enrolment.user),
                 contains_eager(QuizAttempt.enrolment).joinedload(Enrolment.course),
                 joinedload(QuizAttempt.version))
        .where(QuizAttempt.status == "pending", visible(user, Enrolment.course_id))
        .order_by(QuizAttempt.submitted_at, QuizAttempt.id)
    )
    if course is not None:
        stmt = stmt.where(Enrolment.course_id == course.id)
    pagination = db.paginate(stmt, page=page, per_page=ATTEMPTS_PER_PAGE, max_per_page=ATTEMPTS_PER_PAGE,
                             error_out=False)
    answers = [
        PendingAnswer(attempt, questions_of(attempt.version)[key])
        for attempt in pagination.items
        for key in attempt.layout["keys"]
        if is_pending(attempt, key)
    ]
    return pagination, answers


def pending_counts(user: User) -> dict[int, int]:
    """Attempts waiting for a grade, per course id, on the courses ``user`` may see."""
    return dict(db.session.execute(
        select(Enrolment.course_id, func.count(QuizAttempt.id))
        .join(QuizAttempt, QuizAttempt.enrolment_id == Enrolment.id)
        .where(QuizAttempt.status == "pending", visible(user, Enrolment.course_id))
        .group_by(Enrolment.course_id)
    ).all())
