"""HR reports: figures checked against totals worked out here from the fixture's own data."""
from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import event, select, update

from elearn.extensions import db
from elearn.learn.completion import complete_if_done
from elearn.models import (
    AuditEvent,
    Certificate,
    Course,
    Enrolment,
    ExternalTraining,
    LessonProgress,
    QuizAttempt,
    RecordEntry,
)
from elearn.timeutil import LOCAL_ZONE, local_date, utcnow
from tests.conftest import Auth

YEAR = local_date(utcnow()).year - 1
TARGET = 20

UNITS = {"DINKES": None, "PKM-SB": "DINKES", "DISDIK": None}
PEOPLE = {
    "rina": {"name": "Rina Marpaung", "nip": "198707172010012003", "unit": "PKM-SB", "type": "PNS"},
    "dewi": {"name": "Dewi Lubis", "nip": "199001012015032001", "unit": "PKM-SB", "type": "PNS"},
    "budi": {"name": "Budi Santoso", "nip": "198503122010011002", "unit": "DINKES", "type": "PNS"},
    "joko": {"name": "Joko Sitorus", "nip": "202203010000000017", "unit": "DISDIK", "type": "PPPK"},
    "sari": {"name": "Sari Nababan", "nip": "197912312005012001", "unit": "DISDIK", "type": "PNS", "active": False},
}
COURSES = {
    "etika-pelayanan": {"jp": 4, "competency": "sosial-kultural"},
    "analisis-kebijakan": {"jp": 16, "competency": "manajerial"},
    "keamanan-data": {"jp": 6, "competency": "teknis"},
}


def local(year, month, day, hour=8, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_ZONE)


# person, course, enrolled, completed, final score, seconds spent (None: never opened)
ENROLMENTS = [
    ("rina", "etika-pelayanan", local(YEAR, 3, 1), local(YEAR, 3, 10), 90.0, 1800),
    ("rina", "analisis-kebijakan", local(YEAR, 5, 2), local(YEAR, 6, 1), 80.0, 5400),
    ("rina", "keamanan-data", local(YEAR, 10, 1), None, None, 600),
    # 06:30 on 1 January in the city is still 31 December in UTC: JP count in the city's year.
    ("budi", "etika-pelayanan", local(YEAR - 1, 12, 20), local(YEAR, 1, 1, 6, 30), 75.0, 2400),
    ("budi", "analisis-kebijakan", local(YEAR - 1, 11, 1), local(YEAR - 1, 12, 31, 22), 85.0, 6000),
    ("budi", "keamanan-data", local(YEAR, 8, 1), None, None, None),
    ("joko", "analisis-kebijakan", local(YEAR, 9, 1), local(YEAR, 9, 9, 14), 100.0, 7200),
    ("joko", "etika-pelayanan", local(YEAR, 11, 1), None, None, 300),
    ("sari", "etika-pelayanan", local(YEAR, 4, 1), local(YEAR, 4, 4), 70.0, 2000),
]
# person, JP, competency, completed on, status: only a verified one is in the record
EXTERNAL = [
    ("budi", 8.0, "teknis", date(YEAR, 5, 5), "verified"),
    ("joko", 10.0, "teknis", date(YEAR, 6, 6), "pending"),
]
REVOKED = ("sari", "etika-pelayanan")

COMPLETIONS_HEADER = ["nip", "nama", "unit", "jabatan", "golongan", "kursus_id", "kursus", "jp", "terdaftar",
                      "selesai", "nilai", "nomor_sertifikat"]
JP_HEADER = ["nip", "nama", "unit", "jp_kursus", "jp_eksternal", "jp_total", "target_jp", "kekurangan_jp", "status"]
UNITS_HEADER = ["kode", "unit", "pegawai", "memenuhi_target", "persen_memenuhi", "penyelesaian", "rata_rata_jp"]
COURSES_HEADER = ["kursus_id", "kursus", "jp", "peserta", "selesai", "persen_selesai", "rata_rata_nilai",
                  "rata_rata_menit"]


# Expected figures, worked out from the tables above.

def units_below(code: str) -> set[str]:
    below = {code}
    for child, parent in UNITS.items():
        if parent == code:
            below |= units_below(child)
    return below


def active_asn(unit: str | None = None) -> list[str]:
    return [key for key, p in PEOPLE.items()
            if p.get("active", True) and (unit is None or p["unit"] in units_below(unit))]


def course_jp(person: str, year: int) -> float:
    return sum(COURSES[course]["jp"] for who, course, _, completed, _, _ in ENROLMENTS
               if who == person and completed is not None and completed.year == year)


def external_jp(person: str, year: int) -> float:
    return sum(jp for who, jp, _, day, status in EXTERNAL if who == person and status == "verified" and day.year == year)


def number(text: str) -> float:
    return float(text) if text else 0.0


@pytest.fixture
def org(app, make_unit, make_user, make_course):
    """Units, people, courses and a year of learning, made through the app's own operations."""
    units = {}
    for code, parent in UNITS.items():
        units[code] = make_unit(code, f"Unit {code}", parent=units.get(parent))
    people = {}
    for key, p in PEOPLE.items():
        people[key] = make_user(name=p["name"], nip=p["nip"], unit_id=units[p["unit"]].id, employment_type=p["type"],
                                position="Analis", rank="III/a", active=p.get("active", True))
    for slug, c in COURSES.items():
        make_course(slug)
    with app.app_context():
        for slug, c in COURSES.items():
            db.session.execute(update(Course).where(Course.slug == slug).values(jp=c["jp"], competency=c["competency"]))
        courses = {c.slug: c for c in db.session.scalars(select(Course))}
        for person, slug, enrolled, completed, score, seconds in ENROLMENTS:
            _learn(courses[slug], people[person].id, enrolled, completed, score, seconds)
        for person, jp, competency, day, status in EXTERNAL:
            _external(people[person].id, jp, competency, day, status)
        person, slug = REVOKED
        db.session.execute(update(Certificate).where(
            Certificate.user_id == people[person].id, Certificate.course_id == courses[slug].id
        ).values(revoked_at=utcnow(), revoked_reason="Data peserta keliru"))
        db.session.commit()
    return {"units": units, "people": people}


def _learn(course: Course, user_id: int, enrolled, completed, score, seconds) -> None:
    enrolment = Enrolment(user_id=user_id, course_id=course.id, enrolled_at=enrolled)
    db.session.add(enrolment)
    db.session.flush()
    lessons = course.active_lessons if completed else course.active_lessons[:1]
    if seconds is not None:
        for lesson in lessons:
            db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson.id, first_opened_at=enrolled,
                                          completed_at=completed, active_seconds=seconds // len(lessons)))
        enrolment.last_lesson_id, enrolment.last_activity_at = lessons[-1].id, completed or enrolled
    if completed:
        db.session.add(QuizAttempt(enrolment_id=enrolment.id, version_id=course.current_version_id, number=1,
                                   started_at=completed, submitted_at=completed, status="submitted", score=score,
                                   passed=True))
        db.session.flush()
        assert complete_if_done(enrolment, completed) is not None


def _external(user_id: int, jp: float, competency: str, day: date, status: str) -> None:
    training = ExternalTraining(
        user_id=user_id, title="Bimtek Arsip Digital", training_type=1, organiser="ANRI", competency=competency,
        started_on=day, ended_on=day, jp=jp, certificate_number="ANRI/2/2025", evidence=b"%PDF-1.4",
        evidence_name="sertifikat.pdf", evidence_type="application/pdf", evidence_size=8, status=status,
    )
    db.session.add(training)
    db.session.flush()
    if status == "verified":
        db.session.add(RecordEntry(
            user_id=user_id, year=day.year, source="external", external_id=training.id,
            certificate_number=training.certificate_number, title=training.title, organiser=training.organiser,
            training_type=training.training_type, competency=competency, jp=jp, started_on=day, completed_on=day,
        ))


@pytest.fixture
def hr(auth, make_user, org):
    user = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id", name="Petugas BKPSDM")
    auth.login(user.email)
    return user


def download_csv(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(body[len(codecs.BOM_UTF8):].decode("utf-8"))))


def csv_table(client, url: str) -> tuple[list[str], list[dict[str, str]]]:
    header, *rows = download_csv(client, url)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def test_completions_list_every_enrolment_with_its_certificate(app, client, hr):
    header, rows = csv_table(client, "/hr/reports/completions.csv")
    assert header == COMPLETIONS_HEADER
    assert len(rows) == len(ENROLMENTS)
    with app.app_context():
        numbers = {(c.user.nip, c.course.slug): c.number for c in db.session.scalars(select(Certificate))
                   if c.revoked_at is None}
    got = {(r["nip"], r["kursus_id"]): r for r in rows}
    for person, slug, enrolled, completed, score, _ in ENROLMENTS:
        row = got[(PEOPLE[person]["nip"], slug)]
        assert row["nama"] == PEOPLE[person]["name"]
        assert row["unit"] == f"Unit {PEOPLE[person]['unit']}"
        assert (row["jabatan"], row["golongan"]) == ("Analis", "III/a")
        assert number(row["jp"]) == COURSES[slug]["jp"]
        assert row["terdaftar"] == enrolled.date().isoformat()
        assert row["selesai"] == (completed.date().isoformat() if completed else "")
        assert row["nilai"] == (f"{score:g}" if score is not None else "")
        assert row["nomor_sertifikat"] == numbers.get((PEOPLE[person]["nip"], slug), "")
    revoked = got[(PEOPLE[REVOKED[0]]["nip"], REVOKED[1])]
    assert revoked["selesai"] and revoked["nomor_sertifikat"] == ""


@pytest.mark.parametrize("query, expected", [
    ("unit=DINKES", lambda p, s, c: PEOPLE[p]["unit"] in {"DINKES", "PKM-SB"}),
    ("unit=PKM-SB", lambda p, s, c: PEOPLE[p]["unit"] == "PKM-SB"),
    ("unit=DISDIK", lambda p, s, c: PEOPLE[p]["unit"] == "DISDIK"),
    ("course=etika-pelayanan", lambda p, s, c: s == "etika-pelayanan"),
    ("competency=manajerial", lambda p, s, c: COURSES[s]["competency"] == "manajerial"),
    ("employment=PPPK", lambda p, s, c: PEOPLE[p]["type"] == "PPPK"),
    ("status=completed", lambda p, s, c: c[3] is not None),
    ("status=in_progress", lambda p, s, c: c[3] is None and c[5] is not None),
    ("status=not_started", lambda p, s, c: c[3] is None and c[5] is None),
    (f"from={YEAR}-03-01&to={YEAR}-06-30",
     lambda p, s, c: date(YEAR, 3, 1) <= (c[3] or c[2]).date() <= date(YEAR, 6, 30)),
    (f"from={YEAR}-01-01&to={YEAR}-01-01", lambda p, s, c: (c[3] or c[2]).date() == date(YEAR, 1, 1)),
])
def test_completions_filters(client, hr, query, expected):
    _, rows = csv_table(client, f"/hr/reports/completions.csv?{query}")
    got = sorted((r["nip"], r["kursus_id"]) for r in rows)
    wanted = sorted((PEOPLE[e[0]]["nip"], e[1]) for e in ENROLMENTS if expected(e[0], e[1], e))
    assert wanted, "the case must select something"
    assert got == wanted


def test_jp_report_counts_the_record_of_active_civil_servants(client, hr):
    header, rows = csv_table(client, f"/hr/reports/jp.csv?year={YEAR}")
    assert header == JP_HEADER
    got = {r["nip"]: r for r in rows}
    # Neither the deactivated account nor HR's e-mail-only account is an active ASN.
    assert set(got) == {PEOPLE[p]["nip"] for p in active_asn()}
    for person in active_asn():
        row = got[PEOPLE[person]["nip"]]
        courses, external = course_jp(person, YEAR), external_jp(person, YEAR)
        assert (number(row["jp_kursus"]), number(row["jp_eksternal"])) == (courses, external)
        assert number(row["jp_total"]) == courses + external
        assert number(row["target_jp"]) == TARGET
        assert number(row["kekurangan_jp"]) == max(0, TARGET - courses - external)
        assert row["status"] == ("tercapai" if courses + external >= TARGET else "belum tercapai")
    assert any(r["status"] == "tercapai" for r in rows) and any(r["status"] != "tercapai" for r in rows)


def test_jp_report_filters(client, hr):
    def nips(query, year=YEAR):
        _, rows = csv_table(client, f"/hr/reports/jp.csv?year={year}&{query}")
        return {r["nip"]: number(r["jp_total"]) for r in rows}

    met = {PEOPLE[p]["nip"] for p in active_asn() if course_jp(p, YEAR) + external_jp(p, YEAR) >= TARGET}
    assert set(nips("status=met")) == met
    assert set(nips("status=behind")) == {PEOPLE[p]["nip"] for p in active_asn()} - met
    assert set(nips("unit=DINKES")) == {PEOPLE[p]["nip"] for p in active_asn("DINKES")}
    assert set(nips("employment=PPPK")) == {PEOPLE["joko"]["nip"]}
    # Narrowing what counts: only external trainings are technical here.
    assert nips("competency=teknis") == {PEOPLE[p]["nip"]: external_jp(p, YEAR) for p in active_asn()}
    only_etika = nips("course=etika-pelayanan")
    assert only_etika[PEOPLE["budi"]["nip"]] == COURSES["etika-pelayanan"]["jp"]
    assert only_etika[PEOPLE["joko"]["nip"]] == 0
    first_quarter = nips(f"from={YEAR}-01-01&to={YEAR}-03-31")
    assert first_quarter[PEOPLE["rina"]["nip"]] == COURSES["etika-pelayanan"]["jp"]
    assert first_quarter[PEOPLE["budi"]["nip"]] == COURSES["etika-pelayanan"]["jp"]
    last_year = nips("", year=YEAR - 1)
    assert last_year == {PEOPLE[p]["nip"]: course_jp(p, YEAR - 1) + external_jp(p, YEAR - 1) for p in active_asn()}
    assert last_year[PEOPLE["budi"]["nip"]] == COURSES["analisis-kebijakan"]["jp"]


def test_unit_summary_rolls_up_sub_units(client, hr):
    header, rows = csv_table(client, f"/hr/reports/units.csv?year={YEAR}")
    assert header == UNITS_HEADER
    got = {r["kode"]: r for r in rows}
    assert set(got) == set(UNITS)
    for code in UNITS:
        people = active_asn(code)
        totals = [course_jp(p, YEAR) + external_jp(p, YEAR) for p in people]
        completed = sum(1 for who, _, _, done, _, _ in ENROLMENTS if who in people and done and done.year == YEAR)
        row = got[code]
        assert int(row["pegawai"]) == len(people)
        assert int(row["memenuhi_target"]) == sum(1 for t in totals if t >= TARGET)
        assert number(row["persen_memenuhi"]) == round(100 * sum(1 for t in totals if t >= TARGET) / len(people), 1)
        assert int(row["penyelesaian"]) == completed
        assert number(row["rata_rata_jp"]) == round(sum(totals) / len(people), 2)
    assert int(got["DINKES"]["pegawai"]) == int(got["PKM-SB"]["pegawai"]) + 1

    _, rows = csv_table(client, f"/hr/reports/units.csv?year={YEAR}&unit=DINKES")
    assert {r["kode"] for r in rows} == {"DINKES", "PKM-SB"}


def test_course_summary(client, hr):
    header, rows = csv_table(client, "/hr/reports/courses.csv")
    assert header == COURSES_HEADER
    got = {r["kursus_id"]: r for r in rows}
    assert set(got) == set(COURSES)
    for slug in COURSES:
        mine = [e for e in ENROLMENTS if e[1] == slug]
        done = [e for e in mine if e[3] is not None]
        row = got[slug]
        assert (int(row["peserta"]), int(row["selesai"])) == (len(mine), len(done))
        assert number(row["persen_selesai"]) == round(100 * len(done) / len(mine), 1)
        if done:
            assert number(row["rata_rata_nilai"]) == round(sum(e[4] for e in done) / len(done), 2)
            assert number(row["rata_rata_menit"]) == round(sum(e[5] for e in done) / len(done) / 60, 2)
        else:
            assert row["rata_rata_nilai"] == row["rata_rata_menit"] == ""

    _, rows = csv_table(client, "/hr/reports/courses.csv?unit=DISDIK&employment=PPPK")
    peserta = {r["kursus_id"]: int(r["peserta"]) for r in rows}
    assert peserta == {slug: sum(1 for e in ENROLMENTS if e[1] == slug and e[0] == "joko") for slug in COURSES}


def xlsx_rows(data: bytes) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]

    def text(value):
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.date().isoformat()
        return f"{value:g}" if isinstance(value, float) else str(value)

    return [[text(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("report", ["completions", "jp", "units", "courses"])
def test_xlsx_holds_the_same_rows_as_csv(client, hr, report):
    query = f"year={YEAR}" if report in ("jp", "units") else ""
    csv_rows = download_csv(client, f"/hr/reports/{report}.csv?{query}")
    with client.get(f"/hr/reports/{report}.xlsx?{query}") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        disposition = response.headers["Content-Disposition"]
        assert "attachment" in disposition and disposition.endswith(f"-{local_date(utcnow()).isoformat()}.xlsx")
        assert xlsx_rows(response.get_data()) == csv_rows


def test_downloads_are_named_and_audit_logged(app, client, hr):
    response = client.get("/hr/reports/completions.csv?unit=DINKES&status=completed")
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=penyelesaian-{local_date(utcnow()).isoformat()}.csv"
    )
    assert response.headers["Cache-Control"] == "no-store"
    client.get(f"/hr/reports/jp.xlsx?year={YEAR}").close()
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.export").order_by(AuditEvent.id)
        ).all()
        assert [(e.actor_id, e.target_type, e.details) for e in events] == [
            (hr.id, "report", {"report": "completions", "format": "csv",
                               "filters": {"unit": "DINKES", "status": "completed"}}),
            (hr.id, "report", {"report": "jp", "format": "xlsx", "filters": {"year": YEAR}}),
        ]


def test_spreadsheet_formulas_in_names_stay_text(app, client, hr, make_user, org):
    make_user(name="=HYPERLINK(\"http://evil.example\",\"x\")", nip="199202022020121002",
              unit_id=org["units"]["DISDIK"].id)
    _, rows = csv_table(client, f"/hr/reports/jp.csv?year={YEAR}&unit=DISDIK")
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in {r["nama"] for r in rows}
    with client.get(f"/hr/reports/jp.xlsx?year={YEAR}&unit=DISDIK") as response:
        data = response.get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("=HYPERLINK")]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_pages_show_the_figures_sorted_and_filtered(client, hr):
    html = client.get(f"/hr/reports/jp?year={YEAR}&lang=en&sort=nama").get_data(as_text=True)
    names = sorted(PEOPLE[p]["name"] for p in active_asn())
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    html = client.get(f"/hr/reports/jp?year={YEAR}&lang=en&sort=nama&dir=desc").get_data(as_text=True)
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions, reverse=True)
    assert 'aria-sort="descending"' in html and "table-wrap" in html
    assert f'href="/hr/reports/jp.csv?year={YEAR}&amp;sort=nama&amp;dir=desc"' in html

    html = client.get("/hr/reports/completions?unit=PKM-SB&lang=en").get_data(as_text=True)
    assert PEOPLE["rina"]["name"] in html and PEOPLE["budi"]["name"] not in html
    # The unit select shows the tree: the sub-unit indented under its parent.
    assert html.index(">DINKES — ") < html.index("\u00a0PKM-SB — ") < html.index(">DISDIK — ")

    for report in ("units", "courses"):
        assert client.get(f"/hr/reports/{report}?lang=en").status_code == 200
    index = client.get("/hr/reports/?lang=en").get_data(as_text=True)
    for report in ("completions", "jp", "units", "courses"):
        assert f'href="/hr/reports/{report}"' in index and f'href="/hr/reports/{report}.xlsx"' in index


def test_pages_are_paginated(app, client, hr, make_user, org):
    for n in range(55):
        make_user(name=f"Pegawai Tambahan {n:02d}", nip=f"1990010120150310{n:02d}", unit_id=org["units"]["DISDIK"].id)
    first = client.get(f"/hr/reports/jp?year={YEAR}&sort=nama&lang=en").get_data(as_text=True)
    second = client.get(f"/hr/reports/jp?year={YEAR}&sort=nama&lang=en&page=2").get_data(as_text=True)
    assert "Pegawai Tambahan 00" in first and "Pegawai Tambahan 54" not in first
    assert "Pegawai Tambahan 54" in second and "Page 2 of 2" in second
    assert 'href="/hr/reports/jp?year=' in first and "page=2" in first


def test_a_report_page_needs_a_fixed_handful_of_queries(app, client, hr):
    with app.app_context():
        engine = db.engine
    statements = []

    def count(connection, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/hr/reports/completions?lang=en")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # user, roles, units, courses, one page of rows, their count: none per row
    # (PRAGMAs are what a new SQLite connection says first)
    assert len([s for s in statements if not s.startswith("PRAGMA")]) <= 8


REPORT_URLS = ["/hr/reports/"] + [
    f"/hr/reports/{report}{suffix}"
    for report in ("completions", "jp", "units", "courses") for suffix in ("", ".csv", ".xlsx")
]


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_only_hr_and_admins_open_reports(app, auth, make_user, org, role):
    user = make_user(roles=(role,), email=f"{role}@pemko.example.go.id")
    auth.login(user.email)
    for url in REPORT_URLS:
        assert auth.client.get(url).status_code == 403, url
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "report.export")) is None


def test_admins_open_reports(auth, make_user, org):
    admin = make_user(roles=("admin",), email="admin@pemko.example.go.id")
    auth.login(admin.email)
    for url in REPORT_URLS:
        with auth.client.get(url) as response:
            assert response.status_code == 200, url


@pytest.mark.parametrize("report, query, message", [
    ("jp", "year=99999", "Enter a year between 2000 and"),
    ("jp", "year=abc", "Enter a year between 2000 and"),
    ("units", "year=1999", "Enter a year between 2000 and"),
    ("completions", "unit=999999", "There is no unit with the code"),
    ("completions", "unit=%27%3B--", "There is no unit with the code"),
    ("courses", "course=" + "x" * 5000, "There is no course with the id"),
    ("completions", "from=2026-13-01", "Enter dates as YYYY-MM-DD"),
    ("completions", "from=01/02/2026", "Enter dates as YYYY-MM-DD"),
    ("completions", "to=99999-01-01", "Enter dates as YYYY-MM-DD"),
    ("completions", "from=1900-01-01", "Enter dates between 2000 and"),
    ("completions", f"from={YEAR}-06-01&to={YEAR}-01-01", "The start date is after the end date."),
    ("jp", f"year={YEAR}&from={YEAR - 1}-06-01", f"Choose dates within {YEAR}"),
    ("completions", "competency=ghaib", "Choose a competency type from the list."),
    ("completions", "status=met", "Choose a status from the list."),
    ("jp", "status=completed", "Choose a status from the list."),
    ("courses", "employment=honorer", "Choose PNS or PPPK"),
    ("completions", "sort=password_hash", "This table cannot be sorted by"),
    ("jp", "sort=target_jp", "This table cannot be sorted by"),
    ("units", "dir=sideways", "Sort in the direction"),
])
def test_bad_filters_get_a_clear_message_not_an_error_page(client, hr, report, query, message):
    page = client.get(f"/hr/reports/{report}?{query}&lang=en")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert message in html and 'name="unit"' in html, "the form stays, to correct the filters"
    for fmt in ("csv", "xlsx"):
        with client.get(f"/hr/reports/{report}.{fmt}?{query}&lang=en") as response:
            assert response.status_code == 400 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["page=abc", "page=-1", "page=99999", "per_page=100000", "unit=", "year="])
def test_odd_but_harmless_parameters_are_tolerated(client, hr, query):
    assert client.get(f"/hr/reports/jp?{query}").status_code == 200
    assert client.get(f"/hr/reports/completions?{query}").status_code == 200


def test_more_rows_than_a_spreadsheet_holds_is_refused_with_advice(app, client, hr, monkeypatch):
    from elearn.hr.reports import exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", len(ENROLMENTS) - 1)
    with client.get("/hr/reports/completions.xlsx?lang=en") as response:
        assert response.status_code == 400
        assert "download CSV" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "report.export")) is None


def test_a_page_number_beyond_any_integer_shows_the_first_page(app, make_user):
    hr = make_user(roles=("hr",), email="laporan@pemko.example.go.id")
    client = app.test_client()
    Auth(client).login(hr.email)
    assert client.get("/hr/reports/completions?page=99999999999999999999").status_code == 200
