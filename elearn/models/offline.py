"""What a browser did without a connection and sent later: each action is applied once."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models.types import UTCDateTime


class OfflineAction(db.Model):
    """The idempotency key of one synced action and what became of it.

    The row is written in the same transaction as the action's effect, so a replayed queue,
    or two tabs sending the same queue at once, change the learner's progress once.
    """

    __tablename__ = "offline_actions"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    # applied, or rejected (the course changed, the learner left it, the answer was not valid).
    status: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
