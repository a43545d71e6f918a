"""The certificate PDF itself: one A4 landscape page, embedded fonts, the participant's
details, and a QR code that decodes to the public verification page. A revoked certificate
has no PDF at all (tests/test_revocation_everywhere.py)."""
from datetime import date
from io import BytesIO

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select

from elearn.certificates import operations
from elearn.certificates.document import certificate_pdf
from elearn.certificates.issuing import issue_certificate
from elearn.extensions import db
from elearn.models import Certificate, Course, Enrolment, User
from elearn.timeutil import utcnow
from tests.conftest import Auth

NIP = "197908152005012003"


@pytest.fixture
def certificate(app, make_user, make_course):
    """A certificate of a learner with every personal detail filled in."""
    user = make_user(nip=NIP, name="Siti Rahmawati Nasution", birth_place="Pematangsiantar",
                     birth_date=date(1979, 8, 15), rank="III/c", position="Analis Kepegawaian Ahli Muda")
    slug = make_course()
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        course.title = 'Etika <img src="http://example.com/x.png"> Pelayanan'
        now = utcnow()
        enrolment = Enrolment(user_id=user.id, course_id=course.id, enrolled_at=now, completed_at=now,
                              final_score=87.5)
        db.session.add(enrolment)
        db.session.flush()
        issued = issue_certificate(enrolment, course.current_version, now)
        db.session.commit()
        return {"id": issued.id, "number": issued.number, "code": issued.code, "nip": NIP}


def download(app, certificate, login=NIP):
    client = app.test_client()
    Auth(client).login(login)
    response = client.get(f"/certificates/{certificate['id']}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def test_the_certificate_is_one_a4_landscape_page_with_embedded_fonts(app, certificate):
    reader = PdfReader(BytesIO(download(app, certificate)))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    # A4 is 297 mm × 210 mm; a PDF point is 1/72 inch.
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (297, 210)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_the_certificate_shows_everything_an_official_certificate_needs(app, certificate):
    text = PdfReader(BytesIO(download(app, certificate))).pages[0].extract_text()
    flat = " ".join(text.split())
    for expected in ("SERTIFIKAT", certificate["number"], "Siti Rahmawati Nasution", NIP,
                     "Pematangsiantar, 15 Agustus 1979", "III/c", "Analis Kepegawaian Ahli Muda",
                     "LULUS", "daring", "1 JP", "87,5", "Kepala BKPSDM", "tanda tangan elektronik (TTE)",
                     "PEMERINTAH KOTA PEMATANGSIANTAR"):
        assert expected in flat, expected
    # The course title is text on the certificate, never markup that fetches anything.
    assert 'Etika <img src="http://example.com/x.png"> Pelayanan' in flat


def test_the_qr_code_decodes_to_the_verification_page(app, certificate):
    page = pypdfium2.PdfDocument(download(app, certificate))[0]
    image = page.render(scale=3).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [f"http://localhost/verify/{certificate['code']}"]
    assert app.test_client().get(f"/verify/{certificate['code']}").status_code == 200


def test_staff_may_download_a_learners_certificate(app, make_user, certificate):
    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id")
    text = PdfReader(BytesIO(download(app, certificate, login=hr.email))).pages[0].extract_text()
    assert "Siti Rahmawati Nasution" in text and certificate["number"] in text


def test_a_certificate_revoked_in_the_database_is_never_rendered(app, make_user, certificate):
    """Every PDF comes from certificate_pdf, so no caller can hand out an unmarked revoked one."""
    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id")
    with app.app_context(), app.test_request_context():
        revoked = db.session.get(Certificate, certificate["id"])
        operations.revoke(db.session.get(User, hr.id), revoked, "Nama peserta keliru", utcnow())
        with pytest.raises(operations.CertificateError):
            certificate_pdf(revoked)


def test_behind_the_https_proxy_the_qr_code_points_at_the_public_address(make_app, certificate):
    """With ELEARN_PROXY_HOPS=1 the proxy's X-Forwarded-* headers name the public address, so
    a certificate printed today still verifies from a phone outside the office network."""
    app = make_app(PROXY_HOPS=1)
    client = app.test_client()
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "elearn.pematangsiantarkota.go.id",
             "X-Forwarded-For": "203.0.113.9"}
    Auth(client).login(NIP)
    response = client.get(f"/certificates/{certificate['id']}.pdf", headers=proxy)
    image = pypdfium2.PdfDocument(response.data)[0].render(scale=3).to_pil()
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [
        f"https://elearn.pematangsiantarkota.go.id/verify/{certificate['code']}"]
