"""API tokens: made, checked and revoked here only. The database keeps a SHA-256 of each token,
never the token, so a copy of the database opens nothing."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import ApiToken, User
from elearn.models.audit import record

TOKEN_PREFIX = "elearn_"
# Enough of the token to tell tokens apart on the admin page and in logs, too little to use.
SHOWN_PREFIX_LENGTH = 12
# A busy integration would otherwise write a row on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Real tokens are 50 characters; anything much longer is not worth hashing.
MAX_TOKEN_LENGTH = 200
MAX_NAME_LENGTH = 100
# One text for the form and the operation, formatted by WTForms' Length or by create_token().
NAME_TOO_LONG = _l("The name is %(length)d characters long; it can be at most %(max)d.")


class TokenError(ValueError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """A new read token and its secret value, which exists nowhere else once shown."""
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name."))
    if len(name) > MAX_NAME_LENGTH:
        raise TokenError(NAME_TOO_LONG % {"length": len(name), "max": MAX_NAME_LENGTH})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        token_hash=hash_token(secret),
        scope="read",
        created_by_id=actor.id,
    )
    db.session.add(token)
    db.session.flush()
    record(actor, "api_token.create", "api_token", token.id, name=token.name, prefix=token.prefix)
    return token, secret


def revoke_token(actor: User, token: ApiToken, now: datetime) -> None:
    if token.revoked_at is not None:
        raise TokenError(_("This token has already been revoked."))
    token.revoked_at = now
    record(actor, "api_token.revoke", "api_token", token.id, name=token.name, prefix=token.prefix)


def verify_token(secret: str, now: datetime) -> ApiToken | None:
    """The live token with this secret value, marked as used; None if unknown or revoked.

    The lookup compares hashes, so its timing says nothing about the secret itself.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token
