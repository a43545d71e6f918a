"""Who supervises whom: the head of one's unit, or, for the head, the head of the unit above."""
from __future__ import annotations

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Unit, User


def heads_a_unit(person: User) -> bool:
    """Only a unit's head supervises anyone (supervisor_of)."""
    return db.session.scalar(select(Unit.id).where(Unit.head_id == person.id).limit(1)) is not None


def supervisor_of(person: User) -> User | None:
    unit = person.unit
    while unit is not None:
        if unit.head_id is not None and unit.head_id != person.id:
            return db.session.get(User, unit.head_id)
        unit = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    return None
