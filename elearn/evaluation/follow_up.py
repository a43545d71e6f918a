"""The follow-up (Kirkpatrick level 3): some weeks after completing a course the learner says
what they applied at work and what changed, and their supervisor confirms it."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from elearn.extensions import db
from elearn.models import Enrolment, FollowUp, User
from elearn.timeutil import local_date

MAX_ANSWER = 2000
MAX_NOTE = 1000


def due_on(enrolment: Enrolment) -> date | None:
    """The day, in the city, from which the learner is asked; None when the course is not
    completed or asks no follow-up (follow_up_days 0)."""
    days = enrolment.course.follow_up_days
    if enrolment.completed_at is None or not days:
        return None
    return local_date(enrolment.completed_at) + timedelta(days=days)


def is_due(enrolment: Enrolment, today: date) -> bool:
    day = due_on(enrolment)
    return day is not None and today >= day


def follow_up_of(enrolment_id: int) -> FollowUp | None:
    return db.session.scalar(
        select(FollowUp).options(joinedload(FollowUp.supervisor)).where(FollowUp.enrolment_id == enrolment_id)
    )


def due_for(enrolments: Iterable[Enrolment], today: date) -> list[Enrolment]:
    """Of these enrolments (their courses loaded), those whose follow-up is due and not given."""
    due = [e for e in enrolments if is_due(e, today)]
    if not due:
        return []
    given = set(db.session.scalars(select(FollowUp.enrolment_id).where(FollowUp.enrolment_id.in_([e.id for e in due]))))
    return [e for e in due if e.id not in given]


def already_given() -> str:
    return _("You have already answered. Your first answers are kept.")


def _pending(supervisor_id: int):
    return select(FollowUp).where(FollowUp.supervisor_id == supervisor_id, FollowUp.confirmed_at.is_(None))


def pending_for(supervisor: User) -> list[FollowUp]:
    """What the supervisor's staff reported and the supervisor has not confirmed yet, oldest first."""
    return list(db.session.scalars(
        _pending(supervisor.id)
        .options(joinedload(FollowUp.enrolment).joinedload(Enrolment.user).joinedload(User.unit),
                 joinedload(FollowUp.enrolment).joinedload(Enrolment.course))
        .order_by(FollowUp.submitted_at, FollowUp.id)
    ))


def pending_count(supervisor: User) -> int:
    return db.session.scalar(select(func.count()).select_from(_pending(supervisor.id).subquery()))
