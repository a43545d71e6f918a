"""Random and malformed input to the readers at the edges: each either gives its result or
reports the problem in its one documented way (a problem list, CsvError, FilterError, a 4xx
page), and never raises anything else or answers 500.

The GIFT parser has its own such property in test_gift.py
(test_parse_returns_questions_or_raises_gift_error_and_nothing_else).
"""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from elearn.accounts.csvfile import CsvError, read_table
from elearn.accounts.roster import (
    ROSTER_OPTIONAL,
    ROSTER_REQUIRED,
    UNITS_REQUIRED,
    RowError,
    validate_roster,
    validate_units,
)
from elearn.courses.frontmatter import Document, check_fields, split
from elearn.courses.loader import COURSE_FIELDS, LESSON_FIELDS, QUIZ_FIELDS
from elearn.hr.filters import (
    FILTER_NAMES,
    FilterError,
    ReportFilters,
    read_filters,
)
from elearn.hr.reports.catalogue import COMPLETION_STATUSES
from elearn.questions.gift import Problem
from tests.conftest import Auth
from tests.coursefiles import course_files
from tests.html import csrf_token

# Modest, so the file takes about 10 s on an idle machine; no deadline, since the first
# examples pay for imports and the database, and CI machines are often busy.
FUZZ = settings(max_examples=150, deadline=None)
# Fewer where each example is a query or several requests. These reuse the app or logged-in
# client across examples: that is the point (one learner, many hostile posts), not a leak.
FUZZ_APP = settings(FUZZ, max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])


# What a request can carry once decoded: any character but a lone surrogate (Werkzeug
# replaces bad UTF-8 while decoding, so none ever reaches a view).
DECODED = st.characters(exclude_categories=("Cs",))

# --- Front matter --------------------------------------------------------------------------------

YAML_FRAGMENTS = [
    "---", "---\n", "\n", "\r\n", "\r", "\ufeff", ": ", ":", "- ", "[", "]", "{", "}", "'", '"', "#",
    "&a", "*a", "!!python/object:os.system", "!!binary", "? ", "|", ">", "  ", "\t", "%YAML 1.2",
    "title", "jp", "tags", "minutes", "shuffle", "id", "x", "1", "-1", "1e9", ".nan", ".inf", "true",
    "null", "~", "2026-01-31", "0x1F", "é", "<script>", "<<: *a",
]
front_matter_texts = (
    st.text()
    | st.lists(st.sampled_from(YAML_FRAGMENTS), max_size=40).map("".join)
    # Well fenced, so that the YAML reader itself gets the random part.
    | st.lists(st.sampled_from(YAML_FRAGMENTS), max_size=30).map(lambda parts: "---\n" + "".join(parts) + "\n---\nbody")
)


@FUZZ
@given(front_matter_texts, st.sampled_from([COURSE_FIELDS, LESSON_FIELDS, QUIZ_FIELDS]))
def test_front_matter_gives_a_document_and_problems_and_never_raises(text, schema):
    problems: list[Problem] = []
    document = split(text, "course.md", problems)
    values = check_fields(document, schema, "course.md", problems)
    assert isinstance(document, Document) and isinstance(document.meta, dict)
    assert set(values) <= set(schema)
    # Every problem points at a line of the file, so the author can find it.
    assert all(isinstance(p, Problem) and p.line >= 1 and p.message for p in problems)


# --- Roster and unit CSV -------------------------------------------------------------------------

CSV_FRAGMENTS = [
    ",", ";", '"', '""', "\n", "\r\n", "\r", "\ufeff", " ", "\t", "\x00",
    *ROSTER_REQUIRED, *ROSTER_OPTIONAL, *UNITS_REQUIRED, "NIP", "Nama Lengkap",
    "198503122010011002", "19850312 201001 1 002", "PNS", "PPPK", "III/b", "IX", "1985-03-12",
    "31/02/1985", "budi@pemko.example.go.id", "@", "DINKES", "x" * 300, "é",
]
csv_texts = st.lists(st.sampled_from(CSV_FRAGMENTS), max_size=60).map("".join)


@st.composite
def well_headed_files(draw, columns: tuple[str, ...]) -> bytes:
    """A right header over random rows, so that the row checks get most of the examples."""
    sep = draw(st.sampled_from([",", ";"]))
    plain = st.characters(exclude_categories=("Cs",), exclude_characters=',;"\r\n')
    cells = st.sampled_from(CSV_FRAGMENTS[11:]) | st.text(plain, max_size=12)
    rows = draw(st.lists(st.lists(cells, max_size=len(columns)).map(sep.join), min_size=1, max_size=6))
    header = sep.join(draw(st.permutations(columns)))
    return "\r\n".join([header, *rows]).encode()


csv_bytes = (
    st.binary(max_size=300)
    | csv_texts.map(lambda text: text.encode())
    | csv_texts.map(lambda text: text.encode("utf-16"))
    | csv_texts.map(lambda text: text.encode("latin-1", "replace"))
)


def csv_files(columns: tuple[str, ...]):
    """Half well headed, half anything."""
    return st.booleans().flatmap(lambda headed: well_headed_files(columns) if headed else csv_bytes)


@FUZZ
@given(csv_files(ROSTER_REQUIRED + ROSTER_OPTIONAL),
       st.sets(st.sampled_from(["DINKES", "dinkes", "BKPSDM", "", "x" * 40]), max_size=3))
def test_roster_file_gives_entries_and_row_errors_or_a_csv_error(data, unit_codes):
    try:
        rows = read_table(data, ROSTER_REQUIRED, ROSTER_OPTIONAL)
    except CsvError as error:
        event("CsvError")
        assert error.problems and all(message for _, message in error.problems)
        return
    entries, errors = validate_roster(rows, unit_codes)
    event("rows with problems" if errors else "rows")
    assert all(isinstance(error, RowError) and error.row >= 2 for error in errors)
    # A row with a problem never also becomes an entry: nothing is half imported.
    assert not {entry.row for entry in entries} & {error.row for error in errors}


@FUZZ
@given(csv_files(UNITS_REQUIRED), st.sets(st.sampled_from(["DINKES", "BKPSDM", "x"]), max_size=3))
def test_unit_file_gives_entries_and_row_errors_or_a_csv_error(data, existing):
    try:
        rows = read_table(data, UNITS_REQUIRED)
    except CsvError as error:
        event("CsvError")
        assert error.problems
        return
    entries, errors = validate_units(rows, existing)
    event("rows with problems" if errors else "rows")
    assert all(isinstance(error, RowError) for error in errors)
    assert not {entry.row for entry in entries} & {error.row for error in errors}


# --- Report filters ------------------------------------------------------------------------------

FILTER_VALUES = [
    "", " ", "2026", "1999", "2100", "-1", "99999999999999999999", "2026-01-31", "2026-02-30",
    "31/01/2026", "2026-1-1", "completed", "met", "PNS", "PPPK", "teknis", "DINKES", "etika-pelayanan",
    "١٢٣٤", "²", "x" * 100, "'; DROP TABLE users; --", "%", "_", "\\",
]
# No NUL: a request carrying one is refused before any view runs (security.refuse_nul_bytes),
# so read_filters never sees one. The route property below sends NULs too.
filter_texts = st.sampled_from(FILTER_VALUES) | st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20)
filter_args = st.dictionaries(st.sampled_from([*FILTER_NAMES, "sort", "dir", "x"]) | st.text(DECODED, max_size=5),
                              filter_texts, max_size=10)


@FUZZ_APP
@given(filter_args, st.sampled_from([tuple(COMPLETION_STATUSES), ("met", "behind"), ()]))
def test_report_filters_give_filters_or_a_filter_error(app, args, statuses):
    with app.app_context():
        try:
            filters = read_filters(args, FILTER_NAMES, statuses, date(2026, 6, 1), 20)
        except FilterError as error:
            event("FilterError")
            assert error.messages and all(error.messages)
        else:
            event("filters")
            assert isinstance(filters, ReportFilters)
            assert filters.year is None or 2000 <= filters.year <= 2027


@pytest.fixture
def hr_client(client, make_user):
    make_user(roles=("hr",), email="hr@pemko.example.go.id")
    Auth(client).login("hr@pemko.example.go.id")
    return client


@FUZZ_APP
@given(st.sampled_from(["completions", "jp", "units"]), st.sampled_from(["", ".csv"]),
       st.dictionaries(st.sampled_from([*FILTER_NAMES, "sort", "dir", "page"]),
                       st.sampled_from(FILTER_VALUES) | st.text(DECODED, max_size=20), max_size=6))
def test_report_pages_answer_random_filters_without_a_server_error(hr_client, report, fmt, args):
    response = hr_client.get(f"/hr/reports/{report}{fmt}", query_string=args)
    event(f"status {response.status_code}")  # --hypothesis-show-statistics: both kinds are reached
    assert response.status_code in (200, 400), response.status_code
    response.close()


# --- Quiz answers --------------------------------------------------------------------------------

SLUG = "etika-pelayanan"
# The course's own field names, so that random values also reach the graders.
QUIZ_FIELD_NAMES = ["q-nilai", "q-jam-buka", "q-nilai-shown", "q-jam-buka-shown", "q-", "q-x", "action", "csrf_token"]
quiz_values = st.sampled_from(["", "0", "1", "2", "99", "-1", "8", "7,5", "1e309", "nan", "x" * 5000, "\x00"]) \
    | st.text(DECODED, max_size=30)
quiz_forms = st.dictionaries(st.sampled_from(QUIZ_FIELD_NAMES) | st.text(DECODED, max_size=12), quiz_values, max_size=8)


@pytest.fixture
def quiz_client(client, make_user, make_course):
    """A learner with the quiz open. Unlimited attempts, so that a random submit does not end
    the fuzzing: the next example starts a new attempt."""
    files = course_files(SLUG)
    files["quiz.md"] = files["quiz.md"].replace(b"max_attempts: 3\n", b"")
    make_course(SLUG, files=files)
    make_user(nip="198503122010011002")
    Auth(client).login("198503122010011002")
    # One token serves the whole session (WTF_CSRF_TIME_LIMIT is None).
    token = csrf_token(client.get(f"/courses/{SLUG}"))
    client.post(f"/courses/{SLUG}/enroll", data={"csrf_token": token})
    return client, token


@FUZZ_APP
# Mostly real actions, so that most examples reach the graders.
@given(quiz_forms, st.sampled_from(["save", "save", "save", "submit", "submit", "start", "", "SAVE", "delete"]),
       st.booleans())
def test_quiz_answers_of_any_shape_are_saved_graded_or_refused_never_a_500(quiz_client, form, action, as_json):
    quiz_client, token = quiz_client
    quiz_client.post(f"/courses/{SLUG}/quiz", data={"action": "start", "csrf_token": token})
    headers = {"Accept": "application/json"} if as_json else {}
    response = quiz_client.post(f"/courses/{SLUG}/quiz", headers=headers,
                                data={"action": action, **form, "csrf_token": form.get("csrf_token", token)})
    event(f"{action or 'no action'} -> {response.status_code}")
    # 200 JSON save, 302 to the quiz or result, 400 for an unknown action, a bad token or a NUL,
    # 409 JSON for a quiz error.
    assert response.status_code in (200, 302, 400, 409), response.status_code
    if response.status_code == 200:
        assert response.is_json and response.get_json()["saved"] is True
