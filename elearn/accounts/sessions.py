"""Log-in sessions kept on the server: one row per signed-in browser.

The session cookie holds ``<user id>.<secret>``; the database keeps only the secret's SHA-256.
A session ends when its row goes: at log-out, when the person changes their password (every
other session), when HR resets the password or deactivates the account (all of them), after
``SESSION_IDLE_MINUTES`` without a request, and ``SESSION_HOURS`` after it started.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import Select, bindparam, delete, or_, select, update

from elearn.accounts import cache as account_cache
from elearn.extensions import db
from elearn.models import LoginSession, User
from elearn.timeutil import utcnow

# How stale "last seen" may get before a request writes it again: idle time is measured to
# within this, and an active browser costs one small write a minute instead of one per request.
SEEN_PRECISION = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _limits() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return timedelta(hours=config["SESSION_HOURS"]), timedelta(minutes=config["SESSION_IDLE_MINUTES"])


def start(user: User) -> None:
    """A new session for the user, in the caller's transaction; ``user.get_id()`` now names it.

    The person's sessions that have run out are cleared on the way, so the table stays small.
    """
    now = utcnow()
    lifetime, idle = _limits()
    db.session.execute(delete(LoginSession).where(
        LoginSession.user_id == user.id,
        or_(LoginSession.started_at < now - lifetime, LoginSession.seen_at < now - idle),
    ))
    secret = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, secret_hash=_hash(secret), started_at=now, seen_at=now))
    user.session_secret = secret


@cache
def _live_session() -> Select:
    # Built once per worker: this query runs on every signed-in request.
    return (select(LoginSession.id, LoginSession.started_at, LoginSession.seen_at, User.active, User.version)
            .join(User, User.id == LoginSession.user_id)
            .where(LoginSession.user_id == bindparam("user_id"), LoginSession.secret_hash == bindparam("secret_hash")))


def resume(user_id: int, secret: str) -> User | None:
    """The active account whose live session this is, with its roles; None once it has ended."""
    login = db.session.execute(_live_session(), {"user_id": user_id, "secret_hash": _hash(secret)}).first()
    if login is None:
        return None
    now = utcnow()
    if not login.active or _ran_out(login, now):
        return None
    if now - login.seen_at >= SEEN_PRECISION:
        _seen(login.id, now)
    user = account_cache.account(user_id, login.version)
    if user is not None:
        user.session_secret = secret
    return user


def _ran_out(login, now: datetime) -> bool:
    lifetime, idle = _limits()
    return now - login.started_at > lifetime or now - login.seen_at > idle


def _seen(session_id: int, now: datetime) -> None:
    # On a connection of its own, committed at once: the request's own transaction is the
    # view's, and GET views never commit.
    with db.engine.begin() as connection:
        connection.execute(update(LoginSession).where(LoginSession.id == session_id).values(seen_at=now))


def end(user: User) -> None:
    """End the session the user is signed in with (log-out)."""
    db.session.execute(delete(LoginSession).where(LoginSession.secret_hash == _hash(user.session_secret)))


def end_all(user: User, keep_current: bool = False) -> None:
    """End every session of the user, or every other one when ``keep_current``."""
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_current and user.session_secret:
        query = query.where(LoginSession.secret_hash != _hash(user.session_secret))
    db.session.execute(query)
