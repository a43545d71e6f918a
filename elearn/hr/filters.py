"""Report filters and sort order: read from the query string, checked, and turned into the
values the queries use. Every problem becomes a message the user can act on, never a 500."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.extensions import db
from elearn.inputs import plain_int
from elearn.models import Course, Unit
from elearn.models.courses import COMPETENCIES
from elearn.models.units import subtree_ids
from elearn.models.users import EMPLOYMENT_TYPES
from elearn.timeutil import LOCAL_ZONE

FILTER_NAMES = ("year", "unit", "course", "from", "to", "competency", "status", "employment")
MIN_YEAR = 2000
# Longer than any unit code or course id: a longer value cannot name one.
MAX_KEY_LENGTH = 64


class FilterError(ValueError):
    """Filters the user has to correct; each message says what is wrong."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class ReportFilters:
    jp_target: float
    year: int | None = None
    unit_code: str | None = None
    # The chosen unit and every unit below it.
    unit_ids: tuple[int, ...] | None = None
    course_slug: str | None = None
    course_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    competency: str | None = None
    status: str | None = None
    employment: str | None = None

    @property
    def starts_at(self) -> datetime | None:
        """The start of ``date_from`` in the city, where dates count officially."""
        return datetime.combine(self.date_from, time(), LOCAL_ZONE) if self.date_from else None

    @property
    def ends_before(self) -> datetime | None:
        """The first moment after ``date_to`` in the city."""
        return datetime.combine(self.date_to + timedelta(days=1), time(), LOCAL_ZONE) if self.date_to else None

    def as_dict(self) -> dict[str, str | int]:
        """The filters in force, as the query string names them (for the audit log)."""
        values = {
            "year": self.year,
            "unit": self.unit_code,
            "course": self.course_slug,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "competency": self.competency,
            "status": self.status,
            "employment": self.employment,
        }
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool = False


def read_filters(args: Mapping[str, str], accepted: tuple[str, ...], statuses: tuple[str, ...],
                 today: date, jp_target: float) -> ReportFilters:
    """The filters of one report from the query string; those the report does not take are
    ignored. Raises FilterError listing every problem at once."""
    raw = {name: (args.get(name) or "").strip() for name in accepted}
    errors: list[str] = []
    values: dict = {"jp_target": float(jp_target)}

    if "year" in accepted:
        values["year"] = _year(raw["year"], today, errors)
    for name, key in (("from", "date_from"), ("to", "date_to")):
        if raw.get(name):
            values[key] = _date(raw[name], today, errors)
    _check_period(values.get("date_from"), values.get("date_to"), values.get("year"), errors)

    for name, allowed in (("competency", COMPETENCIES), ("status", statuses), ("employment", EMPLOYMENT_TYPES)):
        if raw.get(name):
            if raw[name] in allowed:
                values[name] = raw[name]
            else:
                errors.append(_unknown_choice_message(name))

    if raw.get("unit"):
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == raw["unit"][:MAX_KEY_LENGTH]))
        if unit_id is None:
            errors.append(_("There is no unit with the code “%(code)s”.", code=raw["unit"][:MAX_KEY_LENGTH]))
        else:
            values.update(unit_code=raw["unit"], unit_ids=tuple(subtree_ids(unit_id)))
    if raw.get("course"):
        course_id = db.session.scalar(select(Course.id).where(Course.slug == raw["course"][:MAX_KEY_LENGTH]))
        if course_id is None:
            errors.append(_("There is no course with the id “%(slug)s”.", slug=raw["course"][:MAX_KEY_LENGTH]))
        else:
            values.update(course_slug=raw["course"], course_id=course_id)

    if errors:
        raise FilterError(errors)
    return ReportFilters(**values)


def read_sort(args: Mapping[str, str], sortable: tuple[str, ...], default: Sort) -> Sort:
    key = (args.get("sort") or "").strip()
    direction = (args.get("dir") or "").strip()
    errors = []
    if key and key not in sortable:
        errors.append(_("This table cannot be sorted by “%(column)s”.", column=key[:MAX_KEY_LENGTH]))
    if direction and direction not in ("asc", "desc"):
        errors.append(_("Sort in the direction “asc” or “desc”."))
    if errors:
        raise FilterError(errors)
    if not key:
        return default if not direction else Sort(default.key, direction == "desc")
    return Sort(key, direction == "desc")


def _max_year(today: date) -> int:
    return today.year + 1


def _year(text: str, today: date, errors: list[str]) -> int | None:
    if not text:
        return today.year
    year = plain_int(text, _max_year(today))
    if year is not None and year >= MIN_YEAR:
        return year
    errors.append(_("Enter a year between %(first)s and %(last)s.", first=MIN_YEAR, last=_max_year(today)))
    return None


def _date(text: str, today: date, errors: list[str]) -> date | None:
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        errors.append(_("Enter dates as YYYY-MM-DD, for example 2026-01-31."))
        return None
    if not MIN_YEAR <= day.year <= _max_year(today):
        errors.append(_("Enter dates between %(first)s and %(last)s.", first=MIN_YEAR, last=_max_year(today)))
        return None
    return day


def _check_period(start: date | None, end: date | None, year: int | None, errors: list[str]) -> None:
    if start and end and start > end:
        errors.append(_("The start date is after the end date."))
    if year and any(day and day.year != year for day in (start, end)):
        errors.append(_("Choose dates within %(year)s, the year of the report.", year=year))


def _unknown_choice_message(name: str) -> str:
    return {
        "competency": _("Choose a competency type from the list."),
        "status": _("Choose a status from the list."),
        "employment": _("Choose PNS or PPPK as the employment type."),
    }[name]


def course_options() -> list[tuple[str, str]]:
    return [tuple(row) for row in db.session.execute(select(Course.slug, Course.title).order_by(Course.title))]
