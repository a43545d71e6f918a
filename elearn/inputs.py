"""Reading numbers and ids that arrive in URLs, before the database sees them."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

# The largest id a PostgreSQL integer column holds; a larger one can name nothing.
MAX_ID = 2**31 - 1


def plain_int(text: str, limit: int = MAX_ID) -> int | None:
    """An integer written in ASCII digits (not "²" or "٣", which str.isdigit accepts), or None."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(limit)):
        return None
    value = int(text)
    return value if value <= limit else None


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: an id beyond any table's reach is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
