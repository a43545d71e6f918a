"""NIP (Nomor Induk Pegawai) rules. Pure functions: no Flask, no database.

A PNS number is 18 digits: birth date YYYYMMDD, CPNS appointment YYYYMM, a sex digit
(1 male, 2 female) and a 3-digit serial. PPPK numbers are 18 digits too, but their parts
follow other rules, so only their length is checked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

MIN_AGE_AT_APPOINTMENT = 17


class NipError(ValueError):
    """A NIP that cannot be right; the message says why in the user's language."""


@dataclass(frozen=True)
class NipParts:
    birth_date: date
    appointed: tuple[int, int]
    sex: str


def normalise(raw: str) -> str:
    """People write NIPs with spaces or dots (``19850312 201001 1 002``); store digits only."""
    return re.sub(r"[\s.\-]", "", raw or "")


def parse_pns(nip: str, today: date | None = None) -> NipParts:
    today = today or date.today()
    check_length(nip)
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError(_("NIP %(nip)s: the first 8 digits are not a valid birth date.", nip=nip)) from None
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise NipError(_("NIP %(nip)s: digits 13–14 are not a valid appointment month.", nip=nip))
    if birth > today:
        raise NipError(_("NIP %(nip)s: the birth date is in the future.", nip=nip))
    if (year, month) > (today.year, today.month):
        raise NipError(_("NIP %(nip)s: the appointment date is in the future.", nip=nip))
    if year - birth.year < MIN_AGE_AT_APPOINTMENT:
        raise NipError(
            _("NIP %(nip)s: the appointment date is too close to the birth date.", nip=nip)
        )
    if nip[14] not in "12":
        raise NipError(_("NIP %(nip)s: digit 15 must be 1 (male) or 2 (female).", nip=nip))
    return NipParts(birth_date=birth, appointed=(year, month), sex="L" if nip[14] == "1" else "P")


def check_length(nip: str) -> None:
    if not re.fullmatch(r"[0-9]{18}", nip):
        raise NipError(_("NIP %(nip)s: a NIP has exactly 18 digits.", nip=nip))


def validate(raw: str, employment_type: str = "PNS", today: date | None = None) -> str:
    """Return the normalised NIP, or raise NipError."""
    nip = normalise(raw)
    if employment_type == "PPPK":
        check_length(nip)
    else:
        parse_pns(nip, today)
    return nip
