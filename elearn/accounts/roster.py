"""Checking roster and unit rows before anything is written. Pure: plain values in, clean
entries and every problem out, so that HR can fix a whole file in one go."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from elearn.accounts import nip as nip_rules
from elearn.models.users import EMPLOYMENT_TYPES

ROSTER_REQUIRED = ("nip", "nama", "unit", "jabatan", "golongan", "jenis", "tempat_lahir", "tanggal_lahir")
# Without an e-mail column nobody's e-mail changes (see imports.import_roster).
ROSTER_OPTIONAL = ("email",)
UNITS_REQUIRED = ("kode", "nama", "induk")

NAME_MAX, POSITION_MAX, BIRTH_PLACE_MAX = 200, 200, 100
UNIT_CODE_MAX, UNIT_NAME_MAX = 32, 200

PNS_RANKS = tuple(
    f"{group}/{step}" for group, steps in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for step in steps
)
PPPK_RANKS = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)
_RANKS = {
    "PNS": {rank.upper(): rank for rank in PNS_RANKS},
    "PPPK": {rank: rank for rank in PPPK_RANKS},
}
_DATE_PATTERNS = (
    re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"),
    re.compile(r"(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})"),
)
_UNIT_CODE = re.compile(r"[A-Za-z0-9._-]+")

Rows = list[tuple[int, dict[str, str]]]
T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    """One problem, on the row a spreadsheet shows (0: the whole file, 1: the header)."""

    row: int
    message: str


@dataclass(frozen=True)
class RosterEntry:
    row: int
    nip: str
    name: str
    email: str | None
    unit_code: str
    position: str | None
    rank: str | None
    employment_type: str
    birth_place: str | None
    birth_date: date | None


@dataclass(frozen=True)
class UnitEntry:
    row: int
    code: str
    name: str
    parent_code: str | None


class _Problems(list[str]):
    """Collects each field's problem, so that one row reports all of them at once."""

    def check(self, rule: Callable[..., T], *args) -> T | None:
        try:
            return rule(*args)
        except ValueError as exc:
            self.append(str(exc))
            return None


def validate_roster(rows: Rows, unit_codes: set[str]) -> tuple[list[RosterEntry], list[RowError]]:
    """Clean entries for the rows without problems, and every problem of every row."""
    units = _code_lookup(unit_codes)
    entries: list[RosterEntry] = []
    errors: list[RowError] = []
    for row, cells in rows:
        problems = _Problems()
        entry = _roster_entry(row, cells, units, problems)
        errors += [RowError(row, message) for message in problems]
        if entry is not None:
            entries.append(entry)
    errors += _duplicates(
        ((row, nip_rules.normalise(cells["nip"])) for row, cells in rows if cells["nip"]),
        lambda value, first: _("NIP %(nip)s is also on row %(other)d.", nip=value, other=first),
    )
    errors += _duplicates(
        ((row, cells["email"].lower()) for row, cells in rows if cells["email"]),
        lambda value, first: _("E-mail %(email)s is also on row %(other)d.", email=value, other=first),
    )
    return _without_rows_in(entries, errors), _by_row(errors)


def validate_units(rows: Rows, existing_codes: set[str]) -> tuple[list[UnitEntry], list[RowError]]:
    """Clean entries and every problem; parents may be defined later in the file or already exist."""
    known = _code_lookup(existing_codes | {cells["kode"] for _row, cells in rows if cells["kode"]})
    entries: list[UnitEntry] = []
    errors: list[RowError] = []
    for row, cells in rows:
        problems = _Problems()
        code = problems.check(_unit_code, cells["kode"])
        name = problems.check(_text, cells["nama"], "nama", UNIT_NAME_MAX, True)
        parent_code = problems.check(_parent_code, cells["induk"], code, known)
        errors += [RowError(row, message) for message in problems]
        if not problems:
            entries.append(UnitEntry(row, code, name, parent_code))
    errors += _duplicates(
        ((row, cells["kode"]) for row, cells in rows if cells["kode"]),
        lambda value, first: _("Unit code %(code)s is also on row %(other)d.", code=value, other=first),
    )
    errors += unit_cycles(entries, {entry.code: entry.parent_code for entry in entries})
    return _without_rows_in(entries, errors), _by_row(errors)


def unit_cycles(entries: Iterable[UnitEntry], parents: Mapping[str, str | None]) -> list[RowError]:
    """The rows whose unit would end up under itself once every parent in `parents` holds."""
    errors = []
    for entry in entries:
        path = _path_up(entry.code, parents)
        if len(path) > 1 and path[-1] == entry.code:
            errors.append(RowError(entry.row, _(
                "Unit %(code)s would end up under itself: %(path)s.", code=entry.code, path=" → ".join(path)
            )))
    return errors


def _path_up(code: str, parents: Mapping[str, str | None]) -> list[str]:
    """From the unit up to the top, stopping at the first unit seen twice."""
    path, seen = [code], {code}
    parent = parents.get(code)
    while parent is not None:
        path.append(parent)
        if parent in seen:
            break
        seen.add(parent)
        parent = parents.get(parent)
    return path


def _roster_entry(row: int, cells: dict[str, str], units: dict[str, str], problems: _Problems) -> RosterEntry | None:
    employment_type = problems.check(_employment_type, cells["jenis"])
    nip, nip_birth_date = problems.check(_nip, cells["nip"], employment_type) or ("", None)
    birth_date = problems.check(_date, cells["tanggal_lahir"])
    if nip_birth_date and birth_date and nip_birth_date != birth_date:
        problems.append(_(
            "The birth date in the NIP (%(nip_date)s) differs from tanggal_lahir (%(date)s).",
            nip_date=nip_birth_date.isoformat(), date=birth_date.isoformat(),
        ))
    entry = RosterEntry(
        row=row,
        nip=nip,
        name=problems.check(_text, cells["nama"], "nama", NAME_MAX, True),
        email=problems.check(_email, cells["email"]),
        unit_code=problems.check(_known_unit, cells["unit"], units),
        position=problems.check(_text, cells["jabatan"], "jabatan", POSITION_MAX),
        rank=problems.check(_rank, cells["golongan"], employment_type),
        employment_type=employment_type,
        birth_place=problems.check(_text, cells["tempat_lahir"], "tempat_lahir", BIRTH_PLACE_MAX),
        birth_date=birth_date,
    )
    return None if problems else entry


def _employment_type(raw: str) -> str:
    value = raw.upper() or "PNS"
    if value not in EMPLOYMENT_TYPES:
        raise ValueError(_("jenis must be PNS or PPPK, not %(value)s.", value=raw))
    return value


def _nip(raw: str, employment_type: str | None) -> tuple[str, date | None]:
    """The normalised NIP and, for a PNS, the birth date it encodes.

    With an unreadable employment type only the length is checked: that row already has an error.
    """
    if not raw:
        raise ValueError(_("The NIP is missing."))
    if employment_type == "PNS":
        nip = nip_rules.normalise(raw)
        return nip, nip_rules.parse_pns(nip).birth_date
    return nip_rules.validate(raw, "PPPK"), None


def _text(raw: str, column: str, max_length: int, required: bool = False) -> str | None:
    if required and not raw:
        raise ValueError(_("The column %(column)s is empty.", column=column))
    if len(raw) > max_length:
        raise ValueError(_("%(column)s is longer than %(max)d characters.", column=column, max=max_length))
    return raw or None


def _email(raw: str) -> str | None:
    if not raw:
        return None
    try:
        return validate_email(raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValueError(_("E-mail %(email)s is not a valid address.", email=raw)) from None


def _code_lookup(codes: set[str]) -> dict[str, str]:
    """Codes as written, and in capitals so that "dinkes" finds DINKES; exact spelling wins."""
    return {**{code.upper(): code for code in sorted(codes)}, **{code: code for code in codes}}


def _known_unit(raw: str, units: dict[str, str]) -> str:
    if not raw:
        raise ValueError(_("The column unit is empty."))
    code = units.get(raw) or units.get(raw.upper())
    if code is None:
        raise ValueError(_("Unknown unit code %(code)s.", code=raw))
    return code


def _rank(raw: str, employment_type: str | None) -> str | None:
    """The rank in its usual spelling (III/b, IX), checked against the employment type's scale."""
    if not raw or employment_type is None:
        return None
    rank = _RANKS[employment_type].get(re.sub(r"\s+", "", raw).upper())
    if rank is None:
        raise ValueError(
            _("golongan %(value)s is not a PNS rank: use I/a … IV/e.", value=raw) if employment_type == "PNS"
            else _("golongan %(value)s is not a PPPK grade: use I … XVII.", value=raw)
        )
    return rank


def _date(raw: str) -> date | None:
    if not raw:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                raise ValueError(_("tanggal_lahir %(value)s is not a real date.", value=raw)) from None
    raise ValueError(_("tanggal_lahir %(value)s: write dates as YYYY-MM-DD or DD/MM/YYYY.", value=raw))


def _unit_code(raw: str) -> str:
    if not raw:
        raise ValueError(_("The column kode is empty."))
    if len(raw) > UNIT_CODE_MAX:
        raise ValueError(_("Unit code %(code)s is longer than %(max)d characters.", code=raw, max=UNIT_CODE_MAX))
    if not _UNIT_CODE.fullmatch(raw):
        raise ValueError(_(
            "Unit code %(code)s may contain only letters, digits, dots, hyphens and underscores.", code=raw
        ))
    return raw


def _parent_code(raw: str, code: str | None, known: dict[str, str]) -> str | None:
    if not raw:
        return None
    parent = known.get(raw) or known.get(raw.upper())
    if parent is None:
        raise ValueError(_("Unknown parent unit code %(code)s.", code=raw))
    if parent == code:
        raise ValueError(_("Unit %(code)s cannot be its own parent.", code=code))
    return parent


def _duplicates(keyed: Iterable[tuple[int, str]], message: Callable[[str, int], str]) -> list[RowError]:
    """An error on every later row that repeats a value, naming the first row that has it."""
    first: dict[str, int] = {}
    errors = []
    for row, value in keyed:
        if value in first:
            errors.append(RowError(row, message(value, first[value])))
        else:
            first[value] = row
    return errors


def _without_rows_in(entries: list[T], errors: list[RowError]) -> list[T]:
    bad = {error.row for error in errors}
    return [entry for entry in entries if entry.row not in bad]


def _by_row(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda error: error.row)
