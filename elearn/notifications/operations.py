"""Writing notifications and what their reader changes about them; each adds to the caller's
transaction, so a notification exists exactly when the event it tells of does."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from elearn.extensions import db
from elearn.models import MailOptOut, Notification, User
from elearn.notifications.inbox import mail_configured
from elearn.notifications.kinds import KINDS


def notify(user: User, kind: str, link: str, now: datetime, key: str | None = None, **params) -> bool:
    """Tell ``user`` of ``kind`` (its template's words filled with ``params``) about ``link``, a
    path on this site; whether it was written.

    With a ``key``, a notification is written once: when another with the same key exists,
    written earlier or at the same moment by another run, this call writes nothing.
    """
    return notify_many([user], kind, link, now, key=key, **params) == 1


def notify_many(users: list[User], kind: str, link: str, now: datetime, key: str | None = None, **params) -> int:
    """:func:`notify` for several people alike (a key then names one of them), reading their
    e-mail choices in one query; how many notifications were written."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not link.startswith("/") or link.startswith("//"):
        raise ValueError(f"a notification links to a path on this site, not {link!r}")
    if key is not None and len(users) != 1:
        raise ValueError("a key names the notification of one person")
    refused = _refusing(users, kind)
    rows = [{"user_id": user.id, "kind": kind, "params": params, "link": link, "key": key, "created_at": now,
             "mail_state": "pending" if _mailable(user) and user.id not in refused else "none", "mail_attempts": 0}
            for user in users]
    if key is None:
        db.session.add_all(Notification(**row) for row in rows)
        return len(rows)
    # In the caller's transaction, with no savepoint: the database skips a key it already holds.
    insert = (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)
    written = db.session.execute(insert(Notification).values(rows).on_conflict_do_nothing(index_elements=["key"])
                                 .returning(Notification.id)).all()
    return len(written)


def _mailable(user: User) -> bool:
    return mail_configured() and bool(user.email) and user.active


def _refusing(users: list[User], kind: str) -> set[int]:
    """Of these people, those who do not want ``kind`` by e-mail."""
    ids = [user.id for user in users if _mailable(user)]
    if not ids:
        return set()
    return set(db.session.scalars(select(MailOptOut.user_id).where(MailOptOut.user_id.in_(ids),
                                                                   MailOptOut.kind == kind)))


def cancel_mail(user: User) -> None:
    """No more e-mail to this person (deactivated): what waits stays in the app only."""
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.mail_state == "pending").values(mail_state="none"))


def mark_read(user: User, now: datetime, notification_id: int | None = None) -> None:
    """Mark one of the person's notifications read, or all of them."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=now))


def choose_mail(user: User, wanted: set[str]) -> None:
    """Receive exactly the ``wanted`` kinds by e-mail; e-mails of the others not yet sent stay
    unsent (the notifications themselves stay in the app)."""
    refused = [kind for kind in KINDS if kind not in wanted]
    db.session.execute(delete(MailOptOut).where(MailOptOut.user_id == user.id))
    db.session.add_all(MailOptOut(user_id=user.id, kind=kind) for kind in refused)
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.kind.in_(refused), Notification.mail_state == "pending",
    ).values(mail_state="none"))
