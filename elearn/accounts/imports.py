"""Roster and unit imports: check every row, also against the database, then write all rows
or none. The caller (CLI command or view) commits when the report has no errors and rolls
back otherwise; these functions only flush.

Errors carry the row a spreadsheet shows: 0 for the file as a whole (not UTF-8, empty, no
data rows), the header's row (normally 1) for missing, unknown or repeated columns, and the
data rows from 2 on.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from elearn.accounts.csvfile import CsvError, read_table
from elearn.accounts.roster import (
    ROSTER_OPTIONAL,
    ROSTER_REQUIRED,
    UNITS_REQUIRED,
    RosterEntry,
    RowError,
    UnitEntry,
    unit_cycles,
    validate_roster,
    validate_units,
)
from elearn.extensions import db
from elearn.models import Unit, User
from elearn.models.audit import record

# Bound parameters per IN list: well under SQLite's 32,766 and PostgreSQL's 65,535, and
# enough for a city's roster to take one query.
_CHUNK = 5000


@dataclass
class ImportReport:
    """What an import changed (updated counts only records whose values changed), or, when
    `errors` is not empty, why it changed nothing."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def import_roster(actor: User | None, data: bytes) -> ImportReport:
    """Create or update people by NIP. Nobody is deleted, and passwords, roles and the active
    flag are left alone; new people are active learners without a password.

    An empty e-mail cell keeps the e-mail an account already has: the e-mail is a log-in name,
    and a roster export that lacks it should not lock anyone out.
    """
    try:
        rows = read_table(data, ROSTER_REQUIRED, ROSTER_OPTIONAL)
    except CsvError as exc:
        return _unreadable(exc)
    unit_ids = dict(db.session.execute(select(Unit.code, Unit.id)).all())
    entries, errors = validate_roster(rows, set(unit_ids))
    errors += _emails_taken(entries)
    if errors:
        return ImportReport(errors=sorted(errors, key=lambda error: error.row))
    report = _apply_roster(entries, unit_ids)
    record(actor, "roster.import", "import", None, created=report.created, updated=report.updated)
    db.session.flush()
    return report


def import_units(actor: User | None, data: bytes) -> ImportReport:
    """Create or update units by code; the order of rows does not matter, and no unit may end
    up under itself, counting the units already in the database."""
    try:
        rows = read_table(data, UNITS_REQUIRED)
    except CsvError as exc:
        return _unreadable(exc)
    units = {unit.code: unit for unit in db.session.scalars(select(Unit))}
    entries, errors = validate_units(rows, set(units))
    if not errors:
        errors = unit_cycles(entries, _parents_after(units, entries))
    if errors:
        return ImportReport(errors=errors)
    report = _apply_units(entries, units)
    record(actor, "units.import", "import", None, created=report.created, updated=report.updated)
    db.session.flush()
    return report


def _unreadable(exc: CsvError) -> ImportReport:
    return ImportReport(errors=[RowError(row, message) for row, message in exc.problems])


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _emails_taken(entries: list[RosterEntry]) -> list[RowError]:
    """Rows giving an e-mail that an account with another NIP (or none) already uses."""
    wanted = {entry.email: entry for entry in entries if entry.email}
    owners: dict[str, tuple[str | None, str]] = {}
    for chunk in _chunks(list(wanted)):
        query = select(User.email, User.nip, User.name).where(User.email.in_(chunk))
        owners.update((email, (nip, name)) for email, nip, name in db.session.execute(query))
    return [
        RowError(entry.row, _(
            "E-mail %(email)s already belongs to another account (%(name)s).", email=email, name=owners[email][1]
        ))
        for email, entry in wanted.items()
        if email in owners and owners[email][0] != entry.nip
    ]


def _users_by_nip(nips: list[str]) -> dict[str, User]:
    """Roles are left unloaded: the import never touches them."""
    users: dict[str, User] = {}
    for chunk in _chunks(nips):
        query = select(User).where(User.nip.in_(chunk)).options(lazyload(User.role_rows))
        users.update((user.nip, user) for user in db.session.scalars(query))
    return users


def _apply_roster(entries: list[RosterEntry], unit_ids: dict[str, int]) -> ImportReport:
    existing = _users_by_nip([entry.nip for entry in entries])
    report = ImportReport()
    for entry in entries:
        values = _roster_values(entry, unit_ids)
        user = existing.get(entry.nip)
        if user is None:
            db.session.add(_new_learner(entry.nip, values))
            report.created += 1
        elif _assign(user, values):
            report.updated += 1
    return report


def _roster_values(entry: RosterEntry, unit_ids: dict[str, int]) -> dict:
    values = {
        "name": entry.name,
        "unit_id": unit_ids[entry.unit_code],
        "position": entry.position,
        "rank": entry.rank,
        "employment_type": entry.employment_type,
        "birth_place": entry.birth_place,
        "birth_date": entry.birth_date,
    }
    if entry.email:
        values["email"] = entry.email
    return values


def _new_learner(nip: str, values: dict) -> User:
    user = User(nip=nip, active=True, must_change_password=False, **values)
    user.set_roles(("learner",))
    return user


def _assign(target: User | Unit, values: dict) -> bool:
    """Set the values; True when any of them differed."""
    changed = False
    for key, value in values.items():
        if getattr(target, key) != value:
            setattr(target, key, value)
            changed = True
    return changed


def _parents_after(units: dict[str, Unit], entries: list[UnitEntry]) -> dict[str, str | None]:
    """Every unit's parent code as it would be after the import."""
    codes = {unit.id: unit.code for unit in units.values()}
    parents = {unit.code: codes.get(unit.parent_id) for unit in units.values()}
    parents.update((entry.code, entry.parent_code) for entry in entries)
    return parents


def _apply_units(entries: list[UnitEntry], units: dict[str, Unit]) -> ImportReport:
    """New units first, so that any row can name any other as its parent."""
    new = {entry.code: Unit(code=entry.code, name=entry.name) for entry in entries if entry.code not in units}
    db.session.add_all(new.values())
    units = {**units, **new}
    report = ImportReport(created=len(new))
    for entry in entries:
        parent = units[entry.parent_code] if entry.parent_code else None
        if _assign(units[entry.code], {"name": entry.name, "parent": parent}) and entry.code not in new:
            report.updated += 1
    return report
