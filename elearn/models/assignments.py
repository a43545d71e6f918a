"""Mandatory training: HR assigns a course to a unit, a position or named people."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.models.courses import Course
from elearn.models.types import UTCDateTime
from elearn.models.units import Unit
from elearn.models.users import User
from elearn.timeutil import utcnow


class Assignment(db.Model):
    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    # Who it was meant for, as HR chose it; the people it reached are in AssignedPerson.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    include_subunits: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship()
    unit: Mapped[Unit | None] = relationship()
    created_by: Mapped[User] = relationship()
    people: Mapped[list[AssignedPerson]] = relationship(back_populates="assignment", cascade="all, delete-orphan")


class AssignedPerson(db.Model):
    __tablename__ = "assigned_people"

    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)

    assignment: Mapped[Assignment] = relationship(back_populates="people")
    user: Mapped[User] = relationship()
