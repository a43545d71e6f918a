"""The unit tree: its changes, the choices forms offer and the closure queries gather by."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from elearn.extensions import db
from elearn.models import Unit, User
from elearn.models.audit import record
from elearn.models.units import subtree_ids


class UnitError(ValueError):
    pass


def unit_choices(empty_label) -> list[SelectChoice]:
    """Every unit for a select, by code, after an empty choice."""
    units = db.session.execute(select(Unit.id, Unit.code, Unit.name).order_by(Unit.code)).all()
    return [SelectChoice("", empty_label)] + [
        SelectChoice(str(u.id), f"{u.code} — {u.name}") for u in units
    ]


@dataclass(frozen=True)
class UnitOption:
    code: str
    name: str
    depth: int


def unit_options() -> list[UnitOption]:
    """Every unit, each followed by its sub-units, for a select that shows the tree."""
    units = db.session.execute(select(Unit.id, Unit.code, Unit.name, Unit.parent_id).order_by(Unit.code)).all()
    children = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit)
    options: list[UnitOption] = []
    stack = [(unit, 0) for unit in reversed(children[None])]
    while stack:
        unit, depth = stack.pop()
        options.append(UnitOption(unit.code, unit.name, depth))
        stack.extend((child, depth + 1) for child in reversed(children[unit.id]))
    return options


def unit_closure():
    """Pairs (unit, unit at or below it), so that a unit's rows can gather its sub-units'."""
    closure = select(Unit.id.label("ancestor_id"), Unit.id.label("unit_id")).cte("closure", recursive=True)
    return closure.union_all(
        select(closure.c.ancestor_id, Unit.id).where(Unit.parent_id == closure.c.unit_id)
    )


def _check(unit: Unit | None, code: str, parent: Unit | None) -> None:
    query = select(Unit.id).where(Unit.code == code)
    if unit is not None:
        query = query.where(Unit.id != unit.id)
    if db.session.scalar(query) is not None:
        raise UnitError(_("Another unit already has the code %(code)s.", code=code))
    if unit is not None and parent is not None and parent.id in subtree_ids(unit.id):
        raise UnitError(_("A unit cannot be placed under itself or one of its sub-units."))


def create_unit(actor: User, code: str, name: str, parent: Unit | None) -> Unit:
    _check(None, code, parent)
    unit = Unit(code=code, name=name, parent=parent)
    db.session.add(unit)
    db.session.flush()
    record(actor, "unit.create", "unit", unit.id, code=code)
    return unit


def update_unit(actor: User, unit: Unit, code: str, name: str, parent: Unit | None) -> None:
    _check(unit, code, parent)
    unit.code, unit.name, unit.parent = code, name, parent
    record(actor, "unit.update", "unit", unit.id, code=code)


def delete_unit(actor: User, unit: Unit) -> None:
    """Only an empty unit goes: people and sub-units would otherwise lose their place."""
    if unit.children:
        raise UnitError(_("This unit has sub-units. Move or delete them first."))
    if db.session.scalar(select(User.id).where(User.unit_id == unit.id).limit(1)) is not None:
        raise UnitError(_("People still belong to this unit. Move them first."))
    record(actor, "unit.delete", "unit", unit.id, code=unit.code)
    db.session.delete(unit)
