"""Password rules and hashing."""
from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

# No 0/O, 1/l/I: one-time passwords are read aloud or copied from a screen.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class PasswordError(ValueError):
    """A password that cannot be used; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str = "new"):
        super().__init__(message)
        self.field = field


def check_strength(password: str, login_names: tuple[str | None, ...] = ()) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise PasswordError(_("The password must have at least %(n)d characters.", n=minimum))
    if any(name and password.lower() == name.lower() for name in login_names):
        raise PasswordError(_("The password must not be your NIP or e-mail address."))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    return check_password_hash(password_hash, password)


def one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(14))
