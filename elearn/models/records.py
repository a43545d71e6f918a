"""The development record (riwayat pengembangan kompetensi): JP credited per year."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from elearn.extensions import db
from elearn.models.types import UTCDateTime
from elearn.models.users import User
from elearn.timeutil import utcnow

SIASN_ELEARNING = 16  # jenisDiklatId of e-learning in the national system


class ExternalTraining(db.Model):
    """A training outside elearn that an ASN reports; it counts once HR has verified it."""

    __tablename__ = "external_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    training_type: Mapped[int] = mapped_column(Integer)
    organiser: Mapped[str] = mapped_column(String(200))
    competency: Mapped[str] = mapped_column(String(20))
    # Competency tags the training covered, for the needs analysis (as a course's tags).
    tags: Mapped[list] = mapped_column(JSON, default=list)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date] = mapped_column(Date)
    jp: Mapped[float] = mapped_column(Float)
    certificate_number: Mapped[str] = mapped_column(String(100))
    # The evidence lives in the database (no shared disk); loaded only when asked for.
    evidence: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    evidence_name: Mapped[str] = mapped_column(String(255))
    evidence_type: Mapped[str] = mapped_column(String(50))
    evidence_size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending, verified, rejected
    reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class RecordEntry(db.Model):
    """One training in an ASN's record: a completed course (added at completion) or a
    verified external training (added at verification). Only entries here count."""

    __tablename__ = "record_entries"
    # A person's year is what every record page and the learner's home read: one index for both
    # columns, or SQLite picks the year index and reads the whole city's year.
    __table_args__ = (Index("ix_record_entries_user_id_year", "user_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    source: Mapped[str] = mapped_column(String(16))  # "course" or "external"
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id"), unique=True)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    external_id: Mapped[int | None] = mapped_column(ForeignKey("external_trainings.id"), unique=True)
    certificate_number: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    organiser: Mapped[str] = mapped_column(String(200))
    training_type: Mapped[int] = mapped_column(Integer, default=SIASN_ELEARNING)
    competency: Mapped[str] = mapped_column(String(20))
    jp: Mapped[float] = mapped_column(Float)
    started_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
