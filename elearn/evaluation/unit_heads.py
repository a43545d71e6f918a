"""The head of a unit, as HR records it: the supervisor who confirms what the unit's staff
report having applied after a course (see elearn.accounts.supervisors for who that is)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from elearn.extensions import db
from elearn.models import Unit, User
from elearn.models.audit import record


class UnitHeadError(ValueError):
    pass


def head_candidates(unit: Unit | None) -> list[User]:
    """The unit's active people by name, and the current head even if they have moved since,
    so that saving the unit's other fields keeps them."""
    if unit is None or unit.id is None:
        return []
    belongs = (User.unit_id == unit.id) & User.active.is_(True)
    return list(db.session.scalars(
        select(User).where(or_(belongs, User.id == unit.head_id)).order_by(User.name, User.id)
    ))


def set_head(actor: User, unit: Unit, head: User | None) -> None:
    """Make ``head`` (one of the unit's people, or None) the unit's head; a change is audited."""
    new_id = head.id if head is not None else None
    if new_id == unit.head_id:
        return
    if head is not None and head.unit_id != unit.id:
        raise UnitHeadError(_("The head of a unit must be one of its people."))
    unit.head_id = new_id
    record(actor, "unit.head", "unit", unit.id, code=unit.code, head_id=new_id)
