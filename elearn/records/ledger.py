"""JP arithmetic over the development record: what counts is the RecordEntry rows."""
from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import RecordEntry
from elearn.models.courses import COMPETENCIES


@dataclass(frozen=True)
class YearRecord:
    year: int
    entries: list[RecordEntry]
    total: float
    by_competency: dict[str, float]
    target: int
    state: str  # "met", "on_track" or "behind"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.total / self.target)) if self.target else 100

    @property
    def gap(self) -> float:
        return max(0.0, self.target - self.total)


def jp_in_year(user_id: int, year: int) -> float:
    total = db.session.scalar(
        select(func.coalesce(func.sum(RecordEntry.jp), 0)).where(
            RecordEntry.user_id == user_id, RecordEntry.year == year
        )
    )
    return float(total)


def state_of(total: float, target: int, year: int, today: date) -> str:
    """Met once the target is reached; during the year, on track while the JP keep pace with
    the days gone by; behind otherwise (and for a past year that ended short)."""
    if total >= target:
        return "met"
    if year > today.year:
        return "on_track"
    if year < today.year:
        return "behind"
    days = 366 if calendar.isleap(year) else 365
    expected = target * today.timetuple().tm_yday / days
    return "on_track" if total >= expected else "behind"


def year_record(user_id: int, year: int, target: int, today: date) -> YearRecord:
    entries = db.session.scalars(
        select(RecordEntry).where(RecordEntry.user_id == user_id, RecordEntry.year == year)
        .order_by(RecordEntry.completed_on, RecordEntry.id)
    ).all()
    by_competency: dict[str, float] = defaultdict(float, {c: 0.0 for c in COMPETENCIES})
    for entry in entries:
        by_competency[entry.competency] += entry.jp
    total = sum(entry.jp for entry in entries)
    return YearRecord(year, entries, total, dict(by_competency), target, state_of(total, target, year, today))


def years_with_entries(user_id: int) -> list[int]:
    return list(db.session.scalars(
        select(RecordEntry.year).where(RecordEntry.user_id == user_id).distinct().order_by(RecordEntry.year.desc())
    ))
