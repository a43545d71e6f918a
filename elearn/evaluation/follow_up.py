"""The follow-up (Kirkpatrick level 3): some weeks after completing a course the learner says
what they applied at work and what changed, and their supervisor confirms it."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from elearn.accounts.supervisors import supervisor_of
from elearn.extensions import db
from elearn.models import Enrolment, FollowUp, User
from elearn.models.audit import record
from elearn.timeutil import local_date

MAX_ANSWER = 2000
MAX_NOTE = 1000


class FollowUpError(ValueError):
    """The follow-up cannot be recorded or confirmed; the message says why."""


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


def submit_follow_up(enrolment: Enrolment, applied: str, changed: str, today: date) -> FollowUp:
    """Record what the learner applied and what changed, addressed to their supervisor as of
    today; without one there is no confirmation step. A second submission raises
    FollowUpError and changes nothing."""
    if not is_due(enrolment, today):
        raise FollowUpError(_("This course does not ask you about it yet."))
    applied, changed = (applied or "").strip(), (changed or "").strip()
    if not applied or not changed:
        raise FollowUpError(_("Answer both questions."))
    if max(len(applied), len(changed)) > MAX_ANSWER:
        raise FollowUpError(_("Each answer may have at most %(n)d characters.", n=MAX_ANSWER))
    # The enrolment row is locked first, so two submissions at once record one follow-up.
    db.session.scalar(select(Enrolment.id).where(Enrolment.id == enrolment.id).with_for_update())
    if follow_up_of(enrolment.id) is not None:
        raise FollowUpError(already_given())
    supervisor = supervisor_of(enrolment.user)
    follow_up = FollowUp(enrolment_id=enrolment.id, applied=applied, changed=changed,
                         supervisor_id=supervisor.id if supervisor else None)
    db.session.add(follow_up)
    db.session.flush()
    return follow_up


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


def confirm(actor: User, follow_up: FollowUp, note: str | None, now: datetime) -> None:
    """The supervisor confirms the report, with an optional note; only they may."""
    if follow_up.supervisor_id != actor.id:
        raise FollowUpError(_("Only the supervisor it was sent to can confirm this follow-up."))
    if follow_up.confirmed_at is not None:
        raise FollowUpError(_("This follow-up has already been confirmed."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise FollowUpError(_("The note may have at most %(n)d characters.", n=MAX_NOTE))
    follow_up.confirmed_at = now
    follow_up.supervisor_note = note or None
    record(actor, "follow_up.confirm", "follow_up", follow_up.id, enrolment_id=follow_up.enrolment_id)
