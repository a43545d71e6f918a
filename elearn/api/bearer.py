"""The bearer-token gate in front of every API view but the OpenAPI document."""
from __future__ import annotations

from functools import wraps

from flask import request

from elearn.api.errors import json_error
from elearn.api.tokens import verify_token
from elearn.extensions import db
from elearn.timeutil import utcnow

REALM = 'Bearer realm="elearn"'


def token_required(view):
    """Let in requests carrying a live API token (RFC 6750); others get a 401 in JSON."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            return json_error(401, "Send an API token in the header Authorization: Bearer <token>",
                              {"WWW-Authenticate": REALM})
        if verify_token(secret, utcnow()) is None:
            return json_error(401, "The API token is wrong or has been revoked",
                              {"WWW-Authenticate": REALM + ', error="invalid_token"'})
        # Saves the token's last use now, so the view's reads need no commit of their own.
        db.session.commit()
        return view(*args, **kwargs)

    return wrapper
