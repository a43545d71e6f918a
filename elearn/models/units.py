from __future__ import annotations

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db


class Unit(db.Model):
    """An OPD (Dinas, Badan, Kecamatan, …) or one of its sub-units."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # The unit's head: confirms what their staff report having applied after a course.
    head_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.code")

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


def subtree_ids(unit_id: int) -> list[int]:
    """The unit and every unit below it, in one recursive query."""
    tree = select(Unit.id).where(Unit.id == unit_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
    return list(db.session.scalars(select(tree.c.id)))
