"""Who an assignment reaches, and where each of them stands."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import AssignedPerson, Assignment, Course, Enrolment, Unit, User
from elearn.models.audit import record
from elearn.models.units import subtree_ids
from elearn.notifications.operations import notify_many
from elearn.timeutil import utcnow


class AssignmentError(ValueError):
    pass


@dataclass(frozen=True)
class PersonStatus:
    user: User
    # "not_started" (also when enrolled but no lesson opened yet, as the reports count it),
    # "in_progress" or "completed"
    status: str
    overdue: bool
    completed_at: object = None


def people_for(unit: Unit | None, include_subunits: bool, position: str | None, nips: list[str]) -> list[User]:
    """Active people in the unit (and its sub-units), optionally only those whose position
    contains the words given, plus the people named by NIP."""
    chosen: dict[int, User] = {}
    if unit is not None or position:
        query = select(User).where(User.active.is_(True))
        if unit is not None:
            units = subtree_ids(unit.id) if include_subunits else [unit.id]
            query = query.where(User.unit_id.in_(units))
        if position:
            query = query.where(func.lower(User.position).contains(position.lower(), autoescape=True))
        chosen.update((u.id, u) for u in db.session.scalars(query))
    if nips:
        named = db.session.scalars(select(User).where(User.nip.in_(nips), User.active.is_(True))).all()
        missing = sorted(set(nips) - {u.nip for u in named})
        if missing:
            raise AssignmentError(_("No active employee has the NIP %(nips)s.", nips=", ".join(missing)))
        chosen.update((u.id, u) for u in named)
    return sorted(chosen.values(), key=lambda u: u.name)


def create_assignment(actor: User, course: Course, due_on: date, today: date, *, unit: Unit | None = None,
                      include_subunits: bool = True, position: str | None = None, nips: list[str] = (),
                      note: str | None = None) -> Assignment:
    if due_on < today:
        raise AssignmentError(_("The due date has already passed."))
    people = people_for(unit, include_subunits, position, list(nips))
    if not people:
        raise AssignmentError(_("Nobody matches: choose a unit, a position or people by NIP."))
    assignment = Assignment(
        course_id=course.id, due_on=due_on, unit_id=unit.id if unit else None, include_subunits=include_subunits,
        position=position or None, note=note or None, created_by_id=actor.id,
        people=[AssignedPerson(user_id=person.id) for person in people],
    )
    db.session.add(assignment)
    db.session.flush()
    record(actor, "assignment.create", "assignment", assignment.id, course=course.slug, people=len(people),
           due_on=due_on.isoformat())
    notify_many(people, "assignment.new", f"/courses/{course.slug}", utcnow(),
                course_title=course.title, due_on=due_on.isoformat(), note=note or "")
    return assignment


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


@dataclass(frozen=True)
class Counts:
    people: int
    started: int
    completed: int

    @property
    def not_started(self) -> int:
        return self.people - self.started


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
