"""Training-needs analysis: the competencies a position or unit requires, the needs ASN
propose themselves, and each ASN's individual development plan (IDP) for a year."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.models.courses import Course
from elearn.models.types import UTCDateTime
from elearn.models.units import Unit
from elearn.models.users import User
from elearn.timeutil import utcnow


class CompetencyRequirement(db.Model):
    """A competency tag required of everyone in a unit (with its sub-units), of everyone whose
    position contains the given words, or of both together."""

    __tablename__ = "competency_requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    position: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship()


class TrainingNeed(db.Model):
    """A need an ASN proposes: which competency, why, and in what form they would learn."""

    __tablename__ = "training_needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    competency: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    preferred_form: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class DevelopmentPlan(db.Model):
    __tablename__ = "development_plans"
    __table_args__ = (UniqueConstraint("user_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft, submitted, approved, returned
    note: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    items: Mapped[list[PlanItem]] = relationship(back_populates="plan", order_by="PlanItem.id",
                                                 cascade="all, delete-orphan")


class PlanItem(db.Model):
    """One planned development: the gap it closes, a course here or another activity, when,
    and how success will be judged."""

    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plans.id", ondelete="CASCADE"), index=True)
    competency: Mapped[str] = mapped_column(String(64))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    activity: Mapped[str | None] = mapped_column(String(300))
    timing: Mapped[str] = mapped_column(String(100))
    indicator: Mapped[str] = mapped_column(Text)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="items")
    course: Mapped[Course | None] = relationship()
