"""The development record (riwayat pengembangan kompetensi): JP credited per year."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.models.types import UTCDateTime
from elearn.models.users import User
from elearn.timeutil import utcnow

SIASN_ELEARNING = 16  # jenisDiklatId of e-learning in the national system


class RecordEntry(db.Model):
    """One training in an ASN's record; completed courses add theirs automatically."""

    __tablename__ = "record_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    source: Mapped[str] = mapped_column(String(16))  # "course" (external trainings come later)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id"), unique=True)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    title: Mapped[str] = mapped_column(String(300))
    organiser: Mapped[str] = mapped_column(String(200))
    training_type: Mapped[int] = mapped_column(Integer, default=SIASN_ELEARNING)
    competency: Mapped[str] = mapped_column(String(20))
    jp: Mapped[float] = mapped_column(Float)
    started_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
