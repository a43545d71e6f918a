"""Where the people of an assignment stand: per person, per assignment, per learner."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from elearn.extensions import db
from elearn.models import AssignedPerson, Assignment, Enrolment, User

# The list of assignments shows the latest; older ones are still reached by their own page.
LISTED = 200


@dataclass(frozen=True)
class PersonStatus:
    user: User
    # "not_started" (also when enrolled but no lesson opened yet, as the reports count it),
    # "in_progress" or "completed"
    status: str
    overdue: bool
    completed_at: object = None


@dataclass(frozen=True)
class Counts:
    people: int
    started: int
    completed: int

    @property
    def not_started(self) -> int:
        return self.people - self.started


def latest() -> list[Assignment]:
    """The assignments due last first, with their course and unit."""
    return list(db.session.scalars(
        select(Assignment).options(joinedload(Assignment.course), joinedload(Assignment.unit))
        .order_by(Assignment.due_on.desc(), Assignment.id.desc()).limit(LISTED)
    ))


def statuses(assignment: Assignment, today: date) -> list[PersonStatus]:
    """Every assigned person with their enrolment's state, in one query."""
    rows = db.session.execute(
        select(User, Enrolment)
        .join(AssignedPerson, AssignedPerson.user_id == User.id)
        .outerjoin(Enrolment, (Enrolment.user_id == User.id) & (Enrolment.course_id == assignment.course_id))
        .where(AssignedPerson.assignment_id == assignment.id)
        .order_by(User.name)
    ).all()
    return [_status(user, enrolment, assignment.due_on, today) for user, enrolment in rows]


def _status(user: User, enrolment: Enrolment | None, due_on: date, today: date) -> PersonStatus:
    if enrolment is not None and enrolment.completed_at is not None:
        return PersonStatus(user, "completed", False, enrolment.completed_at)
    started = enrolment is not None and enrolment.last_activity_at is not None
    return PersonStatus(user, "in_progress" if started else "not_started", today > due_on)


def assigned_to(user: User, today: date) -> list[tuple[Assignment, PersonStatus]]:
    """A learner's assignments, soonest due first, with where they stand."""
    rows = db.session.execute(
        select(Assignment, Enrolment)
        .join(AssignedPerson, AssignedPerson.assignment_id == Assignment.id)
        .outerjoin(Enrolment, (Enrolment.user_id == user.id) & (Enrolment.course_id == Assignment.course_id))
        .where(AssignedPerson.user_id == user.id)
        .order_by(Assignment.due_on)
    ).all()
    return [(a, _status(user, enrolment, a.due_on, today)) for a, enrolment in rows]


def counts_by_assignment(assignment_ids: list[int]) -> dict[int, Counts]:
    """How many people each assignment reaches, started and completed, in one grouped query."""
    rows = db.session.execute(
        select(
            AssignedPerson.assignment_id, func.count(),
            func.count(Enrolment.last_activity_at), func.count(Enrolment.completed_at),
        )
        .join(Assignment, Assignment.id == AssignedPerson.assignment_id)
        .outerjoin(Enrolment, (Enrolment.user_id == AssignedPerson.user_id)
                   & (Enrolment.course_id == Assignment.course_id))
        .where(AssignedPerson.assignment_id.in_(assignment_ids))
        .group_by(AssignedPerson.assignment_id)
    ).all()
    return {row[0]: Counts(row[1], row[2], row[3]) for row in rows}
