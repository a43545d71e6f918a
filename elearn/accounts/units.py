"""The unit tree as pages and queries read it: the choices forms offer, the tree a select
shows, and the closure reports gather sub-units by. Its changes are in ``operations``."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from elearn.extensions import db
from elearn.models import Unit


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
