"""Grading an essay answer: the one write of the course dashboards.

Grading an essay settles that question's grade; once no question of the attempt is pending
any more, the attempt is scored like any other (:func:`elearn.questions.grading.score`) and,
when it passes, the course completes through the one completion path.
"""
from __future__ import annotations

import math
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from elearn.coursestats.essays import is_pending
from elearn.extensions import db
from elearn.learn.attempts import questions_of
from elearn.learn.completion import complete_if_done
from elearn.models import QuizAttempt, User
from elearn.models.audit import record
from elearn.questions import grading

COMMENT_LIMIT = 5_000


class GradingError(ValueError):
    """A grade that cannot be given; ``field`` names the form field to blame, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def grade_essay(actor: User, attempt: QuizAttempt, key: str, percent: float, comment: str,
                now: datetime) -> QuizAttempt:
    """Grade one pending essay answer with ``percent`` (0–100) of the question's marks.

    The attempt is locked first, so of two trainers grading the same answer at once one
    grades and the other is told it is graded already.
    """
    if not (math.isfinite(percent) and 0 <= percent <= 100):
        raise GradingError(_("Give a score from 0 to 100."), "score")
    comment = comment.strip()
    if len(comment) > COMMENT_LIMIT:
        raise GradingError(_("The comment is too long: at most %(limit)s characters.", limit=COMMENT_LIMIT),
                           "comment")
    locked = _locked(attempt.id)
    if not is_pending(locked, key):
        raise GradingError(_("This answer is not waiting for a grade: it has been graded already."))
    grades = {k: grading.Grade.from_data(data) for k, data in locked.grades.items()}
    grades[key] = grades[key].by_trainer(percent / 100, comment, actor.id, now)
    questions = [questions_of(locked.version)[k] for k in locked.layout["keys"]]
    locked.grades = {k: grade.as_data() for k, grade in grades.items()}
    locked.score = grading.score(questions, grades)
    if locked.score is not None:
        locked.status = "submitted"
        # The loader always sets the quiz's passing score.
        locked.passed = locked.score >= locked.version.quiz_settings["passing_score"]
    db.session.flush()
    certificate = complete_if_done(locked.enrolment, now) if locked.passed else None
    record(actor, "essay.grade", "quiz_attempt", locked.id, course=locked.enrolment.course.slug, question=key,
           percent=percent, attempt_status=locked.status, score=locked.score,
           course_completed=certificate is not None)
    return locked


def _locked(attempt_id: int) -> QuizAttempt:
    """The attempt as the database holds it now, locked until the transaction ends.

    Locked by a write that changes nothing rather than SELECT … FOR UPDATE: both lock the row
    on PostgreSQL, but SQLite ignores FOR UPDATE and only a write takes its lock, so there two
    graders would both read the answer as pending.
    """
    db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt_id).values(status=QuizAttempt.status)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.id == attempt_id).execution_options(populate_existing=True)
    )
