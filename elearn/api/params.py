"""Query parameters of the API, read strictly: a wrong value is a 400 that says what is wrong,
never a guess and never a 500. Pure functions."""
from __future__ import annotations

import re
from datetime import UTC, datetime

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
FIRST_YEAR = 1950

# A "+07:00" offset sent unencoded in a query string arrives as " 07:00".
_UNENCODED_PLUS = re.compile(r" (\d{2}(?::?\d{2})?)$")


class ParamError(ValueError):
    """A query parameter the API cannot use; the message is the 400 answer."""


def timestamp(value: str | None, name: str) -> datetime | None:
    """An ISO 8601 timestamp with a time zone offset, in UTC; a moment without an offset
    would be a guess."""
    if value is None or value == "":
        return None
    text = _UNENCODED_PLUS.sub(r"+\1", value.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ParamError(f"{name} must be an ISO 8601 timestamp such as 2026-01-01T00:00:00+07:00") from None
    if moment.tzinfo is None:
        raise ParamError(f"{name} needs a time zone offset, such as +07:00 or Z")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ParamError(f"{name} is out of range") from None


def limit(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_LIMIT
    if not _is_number(value) or not 1 <= int(value) <= MAX_LIMIT:
        raise ParamError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(value)


def year(value: str | None, last: int) -> int | None:
    """A calendar year from FIRST_YEAR to ``last``, or None when not given."""
    if value is None or value == "":
        return None
    if not (_is_number(value) and len(value) == 4) or not FIRST_YEAR <= int(value) <= last:
        raise ParamError(f"year must be a year from {FIRST_YEAR} to {last}")
    return int(value)


def _is_number(value: str) -> bool:
    return value.isascii() and value.isdigit()
