"""Assigning a course: who an assignment reaches, checked before anyone is told."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import AssignedPerson, Assignment, Course, Unit, User
from elearn.models.audit import record
from elearn.models.units import subtree_ids
from elearn.notifications.operations import notify_many
from elearn.timeutil import utcnow


class AssignmentError(ValueError):
    pass


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
