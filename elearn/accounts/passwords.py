"""Password rules and hashing.

The rules follow NIST SP 800-63B: a minimum length (``PASSWORD_MIN_LENGTH``, 10 by default),
no composition rules, and a refusal of passwords that are easy to guess: common ones (the
shipped list, with digits or symbols added at the end too), runs such as ``1234567890`` or
``aaaaaaaaaa``, and ones made of the person's own NIP, name, birth date or e-mail address.
"""
from __future__ import annotations

import re
import secrets
from datetime import date
from functools import cache
from importlib import resources
from typing import Protocol

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

# No 0/O, 1/l/I: one-time passwords are read aloud or copied from a screen.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Sequences a password may not be a stretch of, either way round.
_RUNS = ("01234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")
# What a person's own data must leave of a password, in letters, for it not to be "made of" it.
_OWN_LETTERS = 4
_SEPARATORS = re.compile(r"[^0-9a-z]+")
_TRAILING = re.compile(r"[^a-z]+$")


class Person(Protocol):
    nip: str | None
    email: str | None
    name: str
    birth_date: date | None


class PasswordError(ValueError):
    """A password that cannot be used; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str = "new"):
        super().__init__(message)
        self.field = field


def check_strength(password: str, person: Person) -> None:
    """Raise :class:`PasswordError` saying why the password cannot be the person's."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise PasswordError(_("The password must have at least %(n)d characters.", n=minimum))
    folded = password.casefold()
    if _is_common(folded):
        raise PasswordError(_("This password is one of the most common ones; choose one that is "
                              "harder to guess, for example a few unrelated words."))
    if _is_run(folded):
        raise PasswordError(_("The password must not be a run of characters such as 1234567890 "
                              "or aaaaaaaaaa."))
    if _is_made_of_own_data(folded, person):
        raise PasswordError(_("The password must not be made of your NIP, name, birth date or "
                              "e-mail address."))


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("elearn.accounts").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def _is_common(folded: str) -> bool:
    known = common_passwords()
    bare = _SEPARATORS.sub("", folded)
    return folded in known or bare in known or _TRAILING.sub("", folded) in known


def _is_run(folded: str) -> bool:
    if len(set(folded)) == 1:
        return True
    return any(folded in run or folded in run[::-1] for run in _RUNS)


def _is_made_of_own_data(folded: str, person: Person) -> bool:
    """Whether the password holds the NIP or birth date, or is little more than the person's
    names and e-mail address with digits and symbols around them."""
    bare = _SEPARATORS.sub("", folded)
    numbers = [person.nip] if person.nip else []
    if person.birth_date:
        day = person.birth_date
        numbers += [day.strftime("%Y%m%d"), day.strftime("%d%m%Y"), day.strftime("%d%m%y")]
    if any(number and number in bare for number in numbers):
        return True
    words = [part for part in _SEPARATORS.split((person.name or "").casefold()) if len(part) >= 3]
    if person.email:
        email = person.email.casefold()
        words += [email, *(part for part in _SEPARATORS.split(email.partition("@")[0]) if len(part) >= 3)]
    left = bare
    for word in sorted(set(words), key=len, reverse=True):
        left = left.replace(_SEPARATORS.sub("", word), "")
    return len(re.sub(r"[^a-z]", "", left)) < _OWN_LETTERS and left != bare


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    return check_password_hash(password_hash, password)


def one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(14))
