"""What a person's inbox shows: how many notifications are unread, which kinds come by e-mail."""
from __future__ import annotations

from functools import cache

from flask import current_app
from sqlalchemy import Select, bindparam, func, select

from elearn.extensions import db
from elearn.models import MailOptOut, Notification, User
from elearn.notifications.kinds import KINDS


def mail_configured() -> bool:
    return bool(current_app.config["SMTP_HOST"])


@cache
def _unread() -> Select:
    # Built once per worker: the bell asks it on every signed-in page.
    return select(func.count()).select_from(Notification).where(
        Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))


def unread_count(user_id: int) -> int:
    return db.session.scalar(_unread(), {"user_id": user_id})


def mail_choices(user: User) -> dict[str, bool]:
    """Each kind, and whether the person receives it by e-mail."""
    refused = set(db.session.scalars(select(MailOptOut.kind).where(MailOptOut.user_id == user.id)))
    return {kind: kind not in refused for kind in KINDS}
