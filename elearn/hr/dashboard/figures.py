"""The dashboard's figures: per unit and per course from the reports' own queries, so the two
agree; per month from the development record, as the reports count completions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.hr.filters import ReportFilters, Sort
from elearn.hr.queries import course_summary, unit_summary
from elearn.models import ExternalTraining, RecordEntry, Unit


@dataclass(frozen=True)
class Month:
    first_day: date
    completions: int


def units_meeting_target(year: int, target: float) -> list:
    """Top-level units (each with its sub-units): headcount and share meeting the JP target."""
    top = set(db.session.scalars(select(Unit.code).where(Unit.parent_id.is_(None))))
    rows = db.session.execute(unit_summary(ReportFilters(jp_target=target, year=year), Sort("persen_memenuhi", True)))
    return [row for row in rows if row.kode in top and row.pegawai]


def completions_by_month(today: date, months: int = 12) -> list[Month]:
    """Courses completed in each of the last months, this one included, as the development
    record holds them (a revoked certificate's course no longer counts)."""
    firsts = [_months_before(today.replace(day=1), n) for n in range(months - 1, -1, -1)]
    ends = [*firsts[1:], _months_before(firsts[-1], -1)]
    return [
        Month(first, db.session.scalar(select(func.count()).select_from(RecordEntry).where(
            RecordEntry.source == "course", RecordEntry.completed_on >= first, RecordEntry.completed_on < end)))
        for first, end in zip(firsts, ends, strict=True)
    ]


def courses_by_completion_rate(target: float, limit: int = 5) -> tuple[list, list]:
    """The courses people finish most and least often, among those someone enrolled in."""
    rows = [row for row in db.session.execute(course_summary(ReportFilters(jp_target=target),
                                                              Sort("persen_selesai", True))) if row.peserta]
    return rows[:limit], list(reversed(rows[-limit:])) if len(rows) > limit else []


def pending_trainings() -> int:
    return db.session.scalar(select(func.count()).select_from(ExternalTraining)
                             .where(ExternalTraining.status == "pending"))


def _months_before(first: date, n: int) -> date:
    index = first.year * 12 + first.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)
