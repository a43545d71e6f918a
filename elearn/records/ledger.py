"""JP arithmetic over the development record."""
from __future__ import annotations

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import RecordEntry


def jp_in_year(user_id: int, year: int) -> float:
    total = db.session.scalar(
        select(func.coalesce(func.sum(RecordEntry.jp), 0)).where(
            RecordEntry.user_id == user_id, RecordEntry.year == year
        )
    )
    return float(total)
