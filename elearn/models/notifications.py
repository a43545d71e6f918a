"""What a person is told: in the app always, by e-mail when they want it and it is configured."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models.types import UTCDateTime

# What becomes of a notification's e-mail (mail_state): none (not to be sent), pending (waiting
# for `flask notify send`), sending (claimed by one run), sent, or failed (given up; see mail_error).


class Notification(db.Model):
    """One message to one person, written in the same transaction as the event it tells of.

    Only the kind and its parameters are stored; the words come from the kind's template in the
    reader's language when it is shown or sent. ``key`` makes a scheduled message idempotent:
    a second one with the same key is never written.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_mail_state_mail_next_at", "mail_state", "mail_next_at"),
        CheckConstraint("mail_state IN ('none', 'pending', 'sending', 'sent', 'failed')", name="mail_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # A path on this site that the message is about.
    link: Mapped[str] = mapped_column(String(300))
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mail_state: Mapped[str] = mapped_column(String(8), default="none")
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0)
    mail_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mail_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Which run of `flask notify send` holds the claim: only that run sends the mail.
    mail_claim: Mapped[str | None] = mapped_column(String(32))
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mail_error: Mapped[str | None] = mapped_column(Text)


class MailOptOut(db.Model):
    """A kind of notification the person does not want by e-mail (in the app they always see it)."""

    __tablename__ = "mail_opt_outs"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
