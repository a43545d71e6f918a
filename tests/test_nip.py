"""NIP rules: pure functions, so most of the checking is done by hypothesis."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elearn.accounts.nip import NipError, normalise, parse_pns, validate

TODAY = date.today()
DIGITS = "0123456789"


@st.composite
def pns_nips(draw) -> str:
    """A NIP as BKN issues it: born 1950–2005, appointed at 18 or later but not in the future."""
    birth = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2005, 12, 31)))
    year = draw(st.integers(min_value=birth.year + 18, max_value=TODAY.year))
    month = draw(st.integers(min_value=1, max_value=TODAY.month if year == TODAY.year else 12))
    sex = draw(st.sampled_from("12"))
    serial = draw(st.integers(min_value=0, max_value=999))
    return f"{birth:%Y%m%d}{year:04d}{month:02d}{sex}{serial:03d}"


def _not_removed_by_normalise(char: str) -> bool:
    return char not in DIGITS and not char.isspace() and char not in ".-"


@st.composite
def eighteen_chars_with_a_non_digit(draw) -> str:
    digits = draw(st.text(alphabet=DIGITS, min_size=18, max_size=18))
    position = draw(st.integers(min_value=0, max_value=17))
    intruder = draw(st.characters().filter(_not_removed_by_normalise))
    return digits[:position] + intruder + digits[position + 1:]


@given(pns_nips())
def test_every_well_formed_pns_nip_is_accepted(nip):
    assert validate(nip, "PNS") == nip


@given(pns_nips())
def test_the_birth_date_is_read_from_the_first_eight_digits(nip):
    assert parse_pns(nip).birth_date == date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))


@given(st.text(alphabet=DIGITS).filter(lambda s: len(s) != 18), st.sampled_from(["PNS", "PPPK"]))
def test_a_nip_without_exactly_18_digits_is_rejected(raw, employment_type):
    with pytest.raises(NipError, match="18 digits"):
        validate(raw, employment_type)


@given(eighteen_chars_with_a_non_digit(), st.sampled_from(["PNS", "PPPK"]))
def test_a_nip_with_a_non_digit_is_rejected(raw, employment_type):
    with pytest.raises(NipError):
        validate(raw, employment_type)


@given(st.text(alphabet=DIGITS, min_size=18, max_size=18))
def test_pppk_numbers_are_checked_by_length_only(raw):
    assert validate(raw, "PPPK") == raw


def test_spaces_and_dots_are_removed():
    assert normalise("19850312 201001 1 002") == "198503122010011002"
    assert validate("19850312.201001.1.002") == "198503122010011002"


@pytest.mark.parametrize(
    ("nip", "problem"),
    [
        ("198502302010011002", "birth date"),
        ("198503122010131002", "appointment month"),
        ("198503122010003002", "appointment month"),
        ("198503122010013002", "digit 15"),
        ("198503122000011002", "too close"),
        (f"{TODAY.year + 1}01012045011002", "future"),
        (f"19850312{TODAY.year + 1}011002", "future"),
    ],
)
def test_a_pns_nip_with_impossible_parts_is_rejected(nip, problem):
    with pytest.raises(NipError, match=problem):
        validate(nip, "PNS")
