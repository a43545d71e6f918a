"""The dashboard's figures, from the same queries as the reports so the two always agree."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import Enrolment, ExternalTraining, Unit
from elearn.reports.filters import ReportFilters, Sort
from elearn.reports.queries import course_summary, unit_summary
from elearn.timeutil import LOCAL_ZONE


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
    """Completions in each of the last months, this one included; a month starts in the city's time."""
    firsts = [_months_before(today.replace(day=1), n) for n in range(months - 1, -1, -1)]
    bounds = [datetime.combine(first, time(), LOCAL_ZONE) for first in firsts]
    bounds.append(datetime.combine(_months_before(firsts[-1], -1), time(), LOCAL_ZONE))
    return [
        Month(first, db.session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.completed_at >= start, Enrolment.completed_at < end)))
        for first, start, end in zip(firsts, bounds, bounds[1:], strict=False)
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
