"""One ASN's development record as the API shows it, from the same ledger as the record page."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.accounts.nip import normalise
from elearn.extensions import db
from elearn.models import RecordEntry, User
from elearn.records.ledger import YearRecord, year_record, years_with_entries


def person_by_nip(nip: str) -> User | None:
    return db.session.scalar(select(User).options(joinedload(User.unit)).where(User.nip == normalise(nip)))


def record_years(person: User, year: int | None, today: date) -> list[int]:
    """The year asked for; else every year with entries and this year, oldest first."""
    if year is not None:
        return [year]
    return sorted({today.year, *years_with_entries(person.id)})


def development_record(person: User, years: list[int], target: int, today: date) -> dict:
    return {
        "person": {
            "nip": person.nip,
            "name": person.name,
            "unit_code": person.unit.code if person.unit else None,
            "unit_name": person.unit.name if person.unit else None,
            "position": person.position,
            "rank": person.rank,
            "employment_type": person.employment_type,
            "active": person.active,
        },
        "jp_target": target,
        "years": [_year(year_record(person.id, year, target, today)) for year in years],
    }


def _year(record: YearRecord) -> dict:
    return {
        "year": record.year,
        # Sums of fractional JP carry float noise (0.1 + 0.2); two decimals is what JP are written with.
        "jp": round(record.total, 2),
        "state": record.state,
        "jp_by_competency": {name: round(jp, 2) for name, jp in record.by_competency.items()},
        "entries": [_entry(entry) for entry in record.entries],
    }


def _entry(entry: RecordEntry) -> dict:
    return {
        "source": entry.source,
        "title": entry.title,
        "organiser": entry.organiser,
        "training_type": entry.training_type,
        "competency": entry.competency,
        "jp": entry.jp,
        "started_on": entry.started_on.isoformat(),
        "completed_on": entry.completed_on.isoformat(),
        "year": entry.year,
        "certificate_number": entry.certificate_number,
    }
