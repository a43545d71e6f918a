"""Failed log-ins are counted per account, whichever of its names (NIP or e-mail) was typed.

The counts live in the rate limiter's storage, so with Redis configured every worker on every
machine shares them. A locked account opens again when its window has passed
(``LOGIN_LIMIT_ACCOUNT``), after a successful log-in resets the count, or when HR unlocks it.
"""
from __future__ import annotations

from flask import current_app
from limits import parse_many

from elearn.extensions import limiter
from elearn.models import User

# The login view's endpoint: flask-limiter counts each route's limit under its endpoint.
SCOPE = "auth.login"


def key_of(user: User) -> str:
    return f"login-account:{user.id}"


def _limits():
    """The account's limits; none when rate limits are turned off (ELEARN_RATELIMIT=false)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return []
    return parse_many(current_app.config["LOGIN_LIMIT_ACCOUNT"])


def _counter(user: User) -> list[str]:
    """The identifiers flask-limiter counts the account's attempts under: its key prefix
    (RATELIMIT_KEY_PREFIX, kept on the extension once set), the account and the endpoint."""
    prefix = limiter._key_prefix  # noqa: SLF001 (the prefix flask-limiter itself puts first)
    return [*([prefix] if prefix else []), key_of(user), SCOPE]


def is_locked(user: User) -> bool:
    """Whether the next log-in of this account would be refused for too many attempts."""
    return not all(limiter.limiter.test(item, *_counter(user)) for item in _limits())


def unlock(user: User) -> None:
    for item in _limits():
        limiter.limiter.clear(item, *_counter(user))
