"""Reading and checking roster and unit CSV files: pure code, no app and no database."""
import csv
import io
from datetime import date

import pytest
from flask import has_app_context
from hypothesis import given
from hypothesis import strategies as st

from elearn.accounts.csvfile import CsvError, read_table
from elearn.accounts.roster import (
    ROSTER_OPTIONAL,
    ROSTER_REQUIRED,
    UNITS_REQUIRED,
    RosterEntry,
    UnitEntry,
    validate_roster,
    validate_units,
)

COLUMNS = ("nip", "nama", "email", "unit", "jabatan", "golongan", "jenis", "tempat_lahir", "tanggal_lahir")
UNITS = {"DINKES", "DISDIK", "BKPSDM", "KEC-SIANTAR-BARAT"}

BUDI = {
    "nip": "198503122010011002", "nama": "Budi Santoso", "email": "budi.santoso@dinkes.pematangsiantarkota.go.id",
    "unit": "DINKES", "jabatan": "Perawat Ahli Pertama", "golongan": "III/b", "jenis": "PNS",
    "tempat_lahir": "Pematangsiantar", "tanggal_lahir": "1985-03-12",
}
SITI = {
    "nip": "199001152015032001", "nama": "Siti Aminah Nasution", "email": "", "unit": "DISDIK",
    "jabatan": "Guru Ahli Muda", "golongan": "III/c", "jenis": "PNS", "tempat_lahir": "Medan",
    "tanggal_lahir": "15/01/1990",
}
RINA = {
    "nip": "202301012345678901", "nama": "Rina Hutapea", "email": "rina.hutapea@pematangsiantarkota.go.id",
    "unit": "KEC-SIANTAR-BARAT", "jabatan": "Penata Layanan Operasional", "golongan": "IX", "jenis": "PPPK",
    "tempat_lahir": "Tebing Tinggi", "tanggal_lahir": "",
}


def csv_bytes(*people: dict, sep: str = ",", columns=COLUMNS, newline: str = "\r\n", encoding="utf-8") -> bytes:
    lines = [sep.join(columns)] + [sep.join(person[c] for c in columns) for person in people]
    return (newline.join(lines) + newline).encode(encoding)


def with_changes(person: dict, **changes) -> dict:
    return {**person, **changes}


def read_roster(data: bytes):
    return read_table(data, ROSTER_REQUIRED, ROSTER_OPTIONAL)


def check_roster(*people: dict, **options):
    return validate_roster(read_roster(csv_bytes(*people, **options)), UNITS)


def file_problems(data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(CsvError) as caught:
        read_roster(data)
    return caught.value.problems


# Reading the file


def test_messages_are_plain_english_without_an_app():
    assert not has_app_context()
    assert file_problems(b"") == [(0, "The file is empty.")]


def test_a_comma_separated_roster_is_read_with_spreadsheet_row_numbers():
    rows = read_roster(csv_bytes(BUDI, SITI))
    assert [row for row, _cells in rows] == [2, 3]
    assert rows[0][1] == BUDI


def test_a_semicolon_separated_roster_keeps_commas_inside_cells():
    kepala = with_changes(SITI, jabatan="Kepala Seksi, Bidang Pencegahan Penyakit")
    rows = read_roster(csv_bytes(BUDI, kepala, sep=";"))
    assert rows[1][1]["jabatan"] == "Kepala Seksi, Bidang Pencegahan Penyakit"


def test_a_byte_order_mark_is_ignored():
    rows = read_roster(csv_bytes(BUDI, encoding="utf-8-sig"))
    assert rows[0][1]["nip"] == BUDI["nip"]


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_windows_and_unix_line_ends_read_alike(newline):
    assert read_roster(csv_bytes(BUDI, SITI, newline=newline)) == read_roster(csv_bytes(BUDI, SITI))


def test_headers_ignore_case_spaces_and_order_and_cells_are_trimmed():
    data = (
        " Tanggal Lahir ; NAMA ;Nip;unit;Jabatan;golongan;JENIS;tempat_lahir\r\n"
        "12/03/1985 ;  Budi Santoso ; 198503122010011002;DINKES;Perawat;III/b;PNS;Pematangsiantar\r\n"
    ).encode()
    [(row, cells)] = read_roster(data)
    assert cells["nama"] == "Budi Santoso" and cells["tanggal_lahir"] == "12/03/1985"
    assert cells["email"] == ""


def test_blank_lines_are_skipped_but_keep_their_row_numbers():
    data = csv_bytes(BUDI) + b"\r\n,,,,,,,,\r\n" + csv_bytes(SITI)[len(",".join(COLUMNS)) + 2:]
    assert [row for row, _cells in read_roster(data)] == [2, 5]


def test_a_quoted_cell_over_two_lines_is_one_row():
    data = csv_bytes(BUDI) + b'199001152015032001,"Siti Aminah\nNasution",,DISDIK,,,,,\r\n'
    rows = read_roster(data)
    assert [row for row, _cells in rows] == [2, 3]
    assert rows[1][1]["nama"] == "Siti Aminah\nNasution"


def test_trailing_empty_columns_from_excel_are_ignored():
    data = csv_bytes(BUDI, sep=";").replace(b"\r\n", b";;\r\n")
    assert read_roster(data)[0][1] == BUDI


def test_a_value_under_no_column_name_is_an_error():
    data = csv_bytes(BUDI).replace(b"\r\n", b",\r\n").replace(b"1985-03-12,", b"1985-03-12,catatan")
    assert file_problems(data) == [
        (2, "There is a value in column J, which has no name in the header row."),
    ]


def test_a_file_that_is_not_utf8_asks_for_csv_utf8():
    data = csv_bytes(with_changes(BUDI, jabatan="Perawat – Puskesmas"), encoding="cp1252")
    [(row, message)] = file_problems(data)
    assert row == 0 and "UTF-8" in message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n \r\n"])
def test_an_empty_file_is_an_error(data):
    assert file_problems(data) == [(0, "The file is empty.")]


def test_a_header_without_rows_is_an_error():
    [(row, message)] = file_problems(csv_bytes())
    assert row == 0 and "no data rows" in message


def test_missing_columns_are_named():
    [(row, message)] = file_problems(csv_bytes(BUDI, columns=("nip", "nama", "email", "jabatan")))
    assert row == 1
    assert "Missing columns: unit, golongan, jenis, tempat_lahir, tanggal_lahir" in message


def test_the_email_column_may_be_left_out():
    rows = read_roster(csv_bytes(BUDI, columns=tuple(c for c in COLUMNS if c != "email")))
    assert rows[0][1]["email"] == ""


def test_unknown_columns_are_named():
    data = csv_bytes(with_changes(BUDI, npwp="12.345.678.9-012.000"), columns=COLUMNS + ("npwp",))
    [(row, message)] = file_problems(data)
    assert row == 1 and "Unknown columns: npwp" in message


def test_a_column_given_twice_is_an_error():
    [(row, message)] = file_problems(csv_bytes(BUDI, columns=COLUMNS + ("nama",)))
    assert row == 1 and "nama appears more than once" in message


cells = st.text(st.characters(exclude_categories=("Cs",))).map(str.strip)


@given(
    st.lists(st.tuples(cells, cells, cells).filter(any), min_size=1, max_size=5),
    st.sampled_from([",", ";"]),
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_any_table_written_as_excel_does_reads_back(rows, sep, encoding):
    """Excel ends lines with CRLF and quotes any cell holding a line break, as csv.writer does here."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(UNITS_REQUIRED)
    writer.writerows(rows)
    read = read_table(out.getvalue().encode(encoding), UNITS_REQUIRED)
    assert read == [(n, dict(zip(UNITS_REQUIRED, row))) for n, row in enumerate(rows, start=2)]


# Checking roster rows


def test_a_good_roster_gives_clean_entries():
    entries, errors = check_roster(
        with_changes(BUDI, email="Budi.Santoso@Dinkes.PematangsiantarKota.go.id", golongan="iii/b", jenis="pns"),
        with_changes(SITI, jenis="", nip="19900115 201503 2 001"),
        RINA,
    )
    assert errors == []
    assert entries == [
        RosterEntry(2, "198503122010011002", "Budi Santoso", "budi.santoso@dinkes.pematangsiantarkota.go.id",
                    "DINKES", "Perawat Ahli Pertama", "III/b", "PNS", "Pematangsiantar", date(1985, 3, 12)),
        RosterEntry(3, "199001152015032001", "Siti Aminah Nasution", None, "DISDIK", "Guru Ahli Muda", "III/c",
                    "PNS", "Medan", date(1990, 1, 15)),
        RosterEntry(4, "202301012345678901", "Rina Hutapea", "rina.hutapea@pematangsiantarkota.go.id",
                    "KEC-SIANTAR-BARAT", "Penata Layanan Operasional", "IX", "PPPK", "Tebing Tinggi", None),
    ]


def test_empty_personal_details_are_none():
    blank = with_changes(BUDI, email="", jabatan="", golongan="", tempat_lahir="", tanggal_lahir="")
    [entry], errors = check_roster(blank)
    assert errors == []
    assert (entry.email, entry.position, entry.rank, entry.birth_place, entry.birth_date) == (None,) * 5


def test_unit_codes_are_matched_regardless_of_case():
    [entry], _errors = check_roster(with_changes(BUDI, unit="kec-siantar-barat"))
    assert entry.unit_code == "KEC-SIANTAR-BARAT"


@pytest.mark.parametrize("written", ["12/03/1985", "12/3/1985", "1985-03-12", "1985-3-12"])
def test_both_date_formats_are_read(written):
    [entry], errors = check_roster(with_changes(BUDI, tanggal_lahir=written))
    assert errors == [] and entry.birth_date == date(1985, 3, 12)


def test_a_pppk_nip_is_checked_by_length_only():
    [entry], errors = check_roster(with_changes(RINA, nip="9999 9999 9999 9999 99"))
    assert errors == [] and entry.nip == "999999999999999999"
    _entries, errors = check_roster(with_changes(RINA, nip="20230101234567890"))
    assert [(e.row, "18 digits" in e.message) for e in errors] == [(2, True)]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"nip": "12345"}, "NIP 12345: a NIP has exactly 18 digits"),
        ({"nip": "19850312201001100A"}, "exactly 18 digits"),
        ({"nip": ""}, "NIP is missing"),
        ({"nip": "198513122010011002"}, "not a valid birth date"),
        ({"nip": "198503122010013002"}, "digit 15"),
        ({"tanggal_lahir": "1985-03-13"}, "NIP (1985-03-12) differs from tanggal_lahir (1985-03-13)"),
        ({"nama": ""}, "nama is empty"),
        ({"nama": "B" * 201}, "nama is longer than 200 characters"),
        ({"jabatan": "P" * 201}, "jabatan is longer than 200 characters"),
        ({"tempat_lahir": "P" * 101}, "tempat_lahir is longer than 100 characters"),
        ({"unit": "DINSOS"}, "Unknown unit code DINSOS"),
        ({"unit": ""}, "unit is empty"),
        ({"email": "budi.santoso@"}, "E-mail budi.santoso@ is not a valid address"),
        ({"email": "budi santoso@dinkes.go.id"}, "is not a valid address"),
        ({"jenis": "Honorer"}, "jenis must be PNS or PPPK, not Honorer"),
        ({"golongan": "III/e"}, "golongan III/e is not a PNS rank"),
        ({"golongan": "V/a"}, "golongan V/a is not a PNS rank"),
        ({"golongan": "IX"}, "golongan IX is not a PNS rank"),
        ({"tanggal_lahir": "12-03-1985"}, "write dates as YYYY-MM-DD or DD/MM/YYYY"),
        ({"tanggal_lahir": "1985/03/12"}, "write dates as YYYY-MM-DD or DD/MM/YYYY"),
        ({"tanggal_lahir": "31/02/1985"}, "31/02/1985 is not a real date"),
        ({"tanggal_lahir": "1985-02-29"}, "1985-02-29 is not a real date"),
    ],
)
def test_a_bad_pns_row_is_reported_on_its_row(changes, problem):
    entries, errors = check_roster(SITI, with_changes(BUDI, **changes))
    assert [e.nip for e in entries] == [SITI["nip"]]
    assert [e.row for e in errors] == [3]
    assert problem in errors[0].message


@pytest.mark.parametrize(
    ("golongan", "problem"),
    [("XVIII", "golongan XVIII is not a PPPK grade"), ("III/b", "golongan III/b is not a PPPK grade")],
)
def test_a_pppk_grade_outside_i_to_xvii_is_reported(golongan, problem):
    _entries, errors = check_roster(with_changes(RINA, golongan=golongan))
    assert [(e.row, problem in e.message) for e in errors] == [(2, True)]


@pytest.mark.parametrize(("written", "rank"), [("xvii", "XVII"), (" iv / e ", "IV/e"), ("I/a", "I/a")])
def test_ranks_are_written_the_usual_way(written, rank):
    person = RINA if "/" not in written else BUDI
    [entry], _errors = check_roster(with_changes(person, golongan=written))
    assert entry.rank == rank


def test_a_nip_twice_names_both_rows():
    again = with_changes(BUDI, nama="Budi S.", email="", nip="19850312 201001 1 002")
    _entries, errors = check_roster(BUDI, SITI, again)
    assert [e.row for e in errors] == [4]
    assert "NIP 198503122010011002 is also on row 2" in errors[0].message


def test_an_email_twice_names_both_rows():
    _entries, errors = check_roster(BUDI, with_changes(SITI, email=BUDI["email"].upper()))
    assert [e.row for e in errors] == [3]
    assert f"E-mail {BUDI['email']} is also on row 2" in errors[0].message


def test_every_problem_of_every_row_is_reported():
    entries, errors = check_roster(
        with_changes(BUDI, nama="", unit="DINSOS"),
        SITI,
        with_changes(RINA, jenis="THL"),
        with_changes(SITI, email="siti@"),
    )
    assert [e.row for e in entries] == [3]
    assert [(e.row, e.message) for e in errors] == [
        (2, "The column nama is empty."),
        (2, "Unknown unit code DINSOS."),
        (4, "jenis must be PNS or PPPK, not THL."),
        (5, "E-mail siti@ is not a valid address."),
        (5, "NIP 199001152015032001 is also on row 3."),
    ]


# Checking unit rows


def units_csv(*rows: str) -> list[tuple[int, dict[str, str]]]:
    return read_table(("kode;nama;induk\r\n" + "".join(f"{row}\r\n" for row in rows)).encode(), UNITS_REQUIRED)


def test_units_may_name_a_parent_defined_later_or_already_known():
    entries, errors = validate_units(units_csv(
        "PKM-SB;Puskesmas Siantar Barat;DINKES",
        "DINKES;Dinas Kesehatan;",
        "SEKRETARIAT.BKPSDM;Sekretariat BKPSDM;bkpsdm",
    ), {"BKPSDM"})
    assert errors == []
    assert entries == [
        UnitEntry(2, "PKM-SB", "Puskesmas Siantar Barat", "DINKES"),
        UnitEntry(3, "DINKES", "Dinas Kesehatan", None),
        UnitEntry(4, "SEKRETARIAT.BKPSDM", "Sekretariat BKPSDM", "BKPSDM"),
    ]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (";Dinas Sosial;", "kode is empty"),
        ("DINAS SOSIAL;Dinas Sosial;", "only letters, digits, dots, hyphens and underscores"),
        (f"{'D' * 33};Dinas Sosial;", "longer than 32 characters"),
        ("DINSOS;;", "nama is empty"),
        (f"DINSOS;{'D' * 201};", "nama is longer than 200 characters"),
        ("DINSOS;Dinas Sosial;PEMKO", "Unknown parent unit code PEMKO"),
        ("DINSOS;Dinas Sosial;DINSOS", "DINSOS cannot be its own parent"),
        ("DINKES;Dinas Kesehatan Kota;", "Unit code DINKES is also on row 2"),
    ],
)
def test_a_bad_unit_row_is_reported_on_its_row(row, problem):
    _entries, errors = validate_units(units_csv("DINKES;Dinas Kesehatan;", row), set())
    assert [e.row for e in errors] == [3]
    assert problem in errors[0].message


def test_a_cycle_of_units_is_reported_on_each_of_its_rows():
    entries, errors = validate_units(units_csv(
        "DINKES;Dinas Kesehatan;",
        "BID-P2P;Bidang P2P;SEKSI-SURVEILANS",
        "SEKSI-SURVEILANS;Seksi Surveilans;BID-P2P",
    ), set())
    assert [e.code for e in entries] == ["DINKES"]
    assert [(e.row, e.message) for e in errors] == [
        (3, "Unit BID-P2P would end up under itself: BID-P2P → SEKSI-SURVEILANS → BID-P2P."),
        (4, "Unit SEKSI-SURVEILANS would end up under itself: SEKSI-SURVEILANS → BID-P2P → SEKSI-SURVEILANS."),
    ]
