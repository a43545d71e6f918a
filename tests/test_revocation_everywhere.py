"""A certificate HR revokes is revoked everywhere it shows: its PDF is no longer issued to
anyone, the public verification page says revoked, the API marks it and credits no JP, and
the SIASN export leaves it out. Beside it, a colleague's valid certificate shows that each
place still works for certificates that stand."""
import csv
import io
import zipfile

import pytest
from babel.dates import format_date
from sqlalchemy import select

from elearn.api.tokens import create_token
from elearn.extensions import db
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import Certificate, Course, User
from elearn.timeutil import local_date, utcnow
from tests.conftest import Auth
from tests.html import csrf_token
from tests.test_api import check_against_document

REVOKED_NIP = "198503122010012002"
VALID_NIP = "198807072012012004"
REASON = "Peserta dikerjakan oleh orang lain"


def signed_in(app, username):
    client = app.test_client()
    Auth(client).login(username)
    return client


@pytest.fixture
def certificates(app, make_unit, make_user, make_course):
    """Two ASN finish the same course; HR then revokes the first one's certificate on its page."""
    unit = make_unit("DINKES", "Dinas Kesehatan")
    holders = [make_user(name="Ani Perawat", nip=REVOKED_NIP, unit_id=unit.id),
               make_user(name="Citra Perawat", nip=VALID_NIP, unit_id=unit.id)]
    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id")
    admin = make_user(roles=("admin",), email="admin@pemko.example.go.id")
    slug = make_course(quiz=False)
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        issued = []
        for holder in holders:
            enrolment = enrol(db.session.get(User, holder.id), course)
            for lesson in course.active_lessons:
                complete_lesson(enrolment, lesson, utcnow())
            issued.append(complete_if_done(enrolment, utcnow()))
        db.session.commit()
        revoked, valid = ({"id": c.id, "number": c.number, "code": c.code} for c in issued)
        course_jp = course.jp

    staff = signed_in(app, hr.email)
    page = f"/hr/certificates?q={revoked['number']}"
    response = staff.post(f"/hr/certificates/{revoked['id']}/revoke",
                          data={"reason": REASON, "csrf_token": csrf_token(staff.get(page))})
    assert response.status_code == 302
    with app.app_context():
        revoked["revoked_on"] = local_date(db.session.get(Certificate, revoked["id"]).revoked_at)
    return {"revoked": revoked, "valid": valid, "hr": hr, "admin": admin, "course_jp": course_jp}


def test_no_one_gets_a_pdf_of_a_revoked_certificate_only_a_410_saying_when_and_why(app, certificates):
    revoked = certificates["revoked"]
    on = format_date(revoked["revoked_on"], "long", locale="en")
    for username in (REVOKED_NIP, certificates["hr"].email, certificates["admin"].email):
        client = signed_in(app, username)
        for ident in (revoked["id"], revoked["number"]):
            response = client.get(f"/certificates/{ident}.pdf?lang=en")
            page = response.get_data(as_text=True)
            assert response.status_code == 410 and response.mimetype == "text/html", (username, ident)
            assert f"was revoked on {on}" in page and REASON in page and not response.data.startswith(b"%PDF")
    # The colleague's certificate still downloads, and outsiders get no PDF of either.
    valid = signed_in(app, VALID_NIP).get(f"/certificates/{certificates['valid']['id']}.pdf")
    assert valid.status_code == 200 and valid.data.startswith(b"%PDF")
    assert signed_in(app, VALID_NIP).get(f"/certificates/{revoked['id']}.pdf").status_code == 404
    anonymous = app.test_client().get(f"/certificates/{revoked['id']}.pdf")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    # HR's list no longer links the revoked one to a download.
    listing = signed_in(app, certificates["hr"].email).get(f"/hr/certificates?q={revoked['number']}")
    assert f"/certificates/{revoked['id']}.pdf" not in listing.get_data(as_text=True)


def test_the_verification_page_of_a_revoked_certificate_says_revoked(app, certificates):
    public = app.test_client()
    page = public.get(f"/verify/{certificates['revoked']['code']}?lang=en").get_data(as_text=True)
    on = format_date(certificates["revoked"]["revoked_on"], "long", locale="en")
    assert "REVOKED" in page and f"This certificate was revoked on {on}." in page
    assert 'class="verdict right"' not in page
    valid = public.get(f"/verify/{certificates['valid']['code']}?lang=en").get_data(as_text=True)
    assert 'class="verdict right"' in valid and "REVOKED" not in valid


def test_the_api_marks_a_revoked_certificate_and_credits_none_of_its_jp(app, certificates):
    with app.app_context():
        _, secret = create_token(db.session.get(User, certificates["admin"].id), "SIMPEG")
        db.session.commit()
    client = app.test_client()
    response = client.get("/api/v1/completions", headers={"Authorization": f"Bearer {secret}"})
    document = client.get("/api/v1/openapi.json").get_json()
    check_against_document(document, "/completions", response)
    items = {item["nip"]: item for item in response.get_json()["items"]}
    # The number stays, so a system that took it earlier can find the certificate and drop it.
    assert (items[REVOKED_NIP]["certificate_number"], items[REVOKED_NIP]["certificate_revoked"],
            items[REVOKED_NIP]["jp"]) == (certificates["revoked"]["number"], True, 0)
    assert (items[VALID_NIP]["certificate_number"], items[VALID_NIP]["certificate_revoked"],
            items[VALID_NIP]["jp"]) == (certificates["valid"]["number"], False, certificates["course_jp"])
    described = document["components"]["schemas"]["Completion"]["properties"]
    assert "revoked" in described["certificate_revoked"]["description"]
    assert "revoked" in described["jp"]["description"]


def test_the_siasn_export_leaves_a_revoked_certificate_out(app, certificates):
    hr = signed_in(app, certificates["hr"].email)
    day = certificates["revoked"]["revoked_on"].isoformat()
    period = f"from={day}&to={day}"
    text = hr.get(f"/hr/reports/siasn.csv?{period}").data.decode("utf-8-sig")
    _, *rows = csv.reader(io.StringIO(text))
    assert [(row[0], row[4]) for row in rows] == [(VALID_NIP, certificates["valid"]["number"])]

    response = hr.get(f"/hr/reports/siasn.zip?{period}")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    valid_pdf = f"{VALID_NIP}_{certificates['valid']['number'].replace('/', '-')}.pdf"
    assert sorted(archive.namelist()) == sorted(["riwayat-kursus.csv", valid_pdf])



def test_the_holders_home_page_says_revoked_and_offers_no_pdf(app, certificates):
    home = signed_in(app, REVOKED_NIP).get("/?lang=en").get_data(as_text=True)
    assert "Certificate revoked" in home
    assert f"/certificates/{certificates['revoked']['id']}.pdf" not in home
    colleague = signed_in(app, VALID_NIP).get("/?lang=en").get_data(as_text=True)
    assert f"/certificates/{certificates['valid']['id']}.pdf" in colleague
