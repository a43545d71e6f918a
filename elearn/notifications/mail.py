"""E-mail over SMTP for the notifications that should be mailed.

``send_due`` may run on several machines at once: a run claims a batch in one short transaction
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so runs never wait for each other; on SQLite the
database's single writer does the same) under a token of its own, renews its claim just before
each mail, and sends only what it still holds. A claim not renewed for ``STALE_CLAIM`` (its run
died) is taken by the next run: a crash in the middle of sending may then send that one mail
twice, never lose it. A failed mail is tried again after a pause that doubles each time, and
given up after ``MAIL_MAX_ATTEMPTS`` tries with the reason kept.
"""
from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from sqlalchemy import and_, func, or_, select, update

from elearn.extensions import db
from elearn.models import Notification, User
from elearn.notifications.messages import language_of, words
from elearn.timeutil import utcnow

log = logging.getLogger(__name__)

FIRST_PAUSE = timedelta(minutes=5)
LONGEST_PAUSE = timedelta(hours=6)
STALE_CLAIM = timedelta(minutes=15)
BATCH = 200
ERROR_LENGTH = 500


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str  # "starttls", "ssl" or "none"
    username: str
    password: str
    sender: str
    timeout: float

    @classmethod
    def from_config(cls, config: Mapping) -> Smtp | None:
        if not config["SMTP_HOST"]:
            return None
        return cls(config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_SECURITY"], config["SMTP_USERNAME"],
                   config["SMTP_PASSWORD"], config["MAIL_FROM"], config["SMTP_TIMEOUT"])

    def connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                       context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.security == "starttls":
                connection.starttls(context=ssl.create_default_context())
        if self.username:
            connection.login(self.username, self.password)
        return connection


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    waiting: int = 0


def pause_after(attempts: int) -> timedelta:
    """Five minutes after the first failure, doubling after each further one, six hours at most."""
    return min(FIRST_PAUSE * 2 ** min(attempts - 1, 20), LONGEST_PAUSE)


def _claimable(now: datetime):
    due = or_(Notification.mail_next_at.is_(None), Notification.mail_next_at <= now)
    return or_(and_(Notification.mail_state == "pending", due),
               and_(Notification.mail_state == "sending", Notification.mail_claimed_at < now - STALE_CLAIM))


def claim(now: datetime, token: str, batch: int = BATCH) -> list[int]:
    """Mark up to ``batch`` due mails as this run's (``token``) and commit; the ids claimed."""
    candidates = db.session.scalars(
        select(Notification.id).where(_claimable(now)).order_by(Notification.id).limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    claimed = db.session.scalars(
        update(Notification).where(Notification.id.in_(candidates), _claimable(now))
        .values(mail_state="sending", mail_claimed_at=now, mail_claim=token).returning(Notification.id)
    ).all() if candidates else []
    db.session.commit()
    return sorted(claimed)


def send_due(smtp: Smtp, max_attempts: int, clock: Callable[[], datetime] = utcnow, batch: int = BATCH) -> SendReport:
    """Send every mail that is due, batch after batch; each result is committed on its own.

    ``clock`` is read afresh for each claim and each result, so that a long run's later
    batches are not mistaken for the leftovers of a run that died.
    """
    report = SendReport()
    token = secrets.token_hex(16)
    while claimed := claim(clock(), token, batch):
        _send_batch(claimed, token, clock, smtp, max_attempts, report)
    report.waiting = db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.mail_state.in_(("pending", "sending"))))
    return report


def _send_batch(ids: list[int], token: str, clock, smtp: Smtp, max_attempts: int, report: SendReport) -> None:
    """One connection for the batch; once the server cannot be reached, the rest of the batch
    fails with that reason at once rather than waiting for the timeout again and again."""
    connection: smtplib.SMTP | None = None
    unreachable: str | None = None
    for notification, user in _claimed(ids):
        if not (user.active and user.email):
            # Deactivated, or the address was removed, since the mail was queued.
            notification.mail_state = "none"
            db.session.commit()
            continue
        if not _still_ours(notification, token, clock()):
            continue
        try:
            email = _email(notification, user, smtp.sender, clock())
        # A broken template or parameter must not stop the mails behind it: it uses up a try.
        except Exception as exc:  # noqa: BLE001
            _failed(notification, clock(), f"cannot write the mail: {exc!r}", max_attempts, report)
            continue
        if unreachable is None and connection is None:
            try:
                connection = smtp.connect()
            except (OSError, smtplib.SMTPException) as exc:
                unreachable = f"cannot reach {smtp.host}:{smtp.port}: {exc}"
        if unreachable is not None:
            _failed(notification, clock(), unreachable, max_attempts, report)
            continue
        try:
            connection.send_message(email)
        except (OSError, smtplib.SMTPException) as exc:
            _failed(notification, clock(), str(exc), max_attempts, report)
            if not isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
                _close(connection)
                connection = None
            continue
        notification.mail_state, notification.mailed_at = "sent", clock()
        db.session.commit()
        report.sent += 1
    if connection is not None:
        _close(connection)


def _still_ours(notification: Notification, token: str, now: datetime) -> bool:
    """Renew this run's claim just before sending; False when another run has taken it over."""
    renewed = db.session.execute(
        update(Notification).where(Notification.id == notification.id, Notification.mail_claim == token,
                                   Notification.mail_state == "sending")
        .values(mail_claimed_at=now).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return renewed == 1


def _close(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()


def _claimed(ids: list[int]) -> list[tuple[Notification, User]]:
    rows = db.session.execute(
        select(Notification, User).join(User, User.id == Notification.user_id)
        .where(Notification.id.in_(ids)).order_by(Notification.id)
    ).all()
    return [(notification, user) for notification, user in rows]


def _failed(notification: Notification, now: datetime, error: str, max_attempts: int, report: SendReport) -> None:
    notification.mail_attempts += 1
    notification.mail_error = error[:ERROR_LENGTH]
    if notification.mail_attempts >= max_attempts:
        notification.mail_state = "failed"
        report.gave_up += 1
        log.error("notify: gave up mail %s after %s tries: %s", notification.id, notification.mail_attempts, error)
    else:
        notification.mail_state = "pending"
        notification.mail_next_at = now + pause_after(notification.mail_attempts)
        report.failed += 1
        log.warning("notify: mail %s not sent (try %s): %s", notification.id, notification.mail_attempts, error)
    db.session.commit()


def _email(notification: Notification, user: User, sender: str, now: datetime) -> EmailMessage:
    message = words(notification, language_of(user))
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = user.email
    email["Date"] = format_datetime(now)
    email["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    # A notice, not a letter: out-of-office replies should not answer it (RFC 3834).
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    # After set_content, which sets the Content-* headers anew.
    email["Content-Language"] = language_of(user)
    return email
