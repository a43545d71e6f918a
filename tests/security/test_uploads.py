"""Uploads and paths: the type of an upload is read from its content, never from its name or the
browser's label; odd names are stored harmlessly; course files are only found by exact path."""
import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from elearn.extensions import db
from elearn.models import CourseDraftFile, ExternalTraining
from tests.coursefiles import PNG
from tests.security.conftest import changed_tables, signed_in, snapshot, token_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


def _training(evidence: bytes, filename: str, content_type: str, number: str) -> dict:
    return {
        "title": "Pelatihan", "training_type": "3", "organiser": "LKPP", "competency": "teknis",
        "started_on": "2026-01-05", "ended_on": "2026-01-07", "jp": "4", "certificate_number": number,
        "evidence": FileStorage(io.BytesIO(evidence), filename=filename, content_type=content_type),
    }


@pytest.mark.parametrize("content, filename, content_type", [
    (HTML, "sertifikat.pdf", "application/pdf"),
    (HTML, "sertifikat.pdf.html", "text/html"),
    (SVG, "sertifikat.png", "image/png"),
    (b"MZ\x90\x00" + b"\x00" * 64, "sertifikat.pdf.exe", "application/pdf"),
    (b"GIF89a" + HTML, "sertifikat.png", "image/png"),
    (b" %PDF-1.4" + HTML, "sertifikat.pdf", "application/pdf"),
])
def test_evidence_that_is_not_a_pdf_jpeg_or_png_is_refused(app, world, content, filename, content_type):
    client = signed_in(app, world["other"])
    token = token_of(client, "/me/record/trainings/new")
    before = snapshot(app)
    response = client.post("/me/record/trainings/new",
                           data={**_training(content, filename, content_type, "X/1"), "csrf_token": token})
    assert response.status_code == 400
    assert changed_tables(before, snapshot(app)) == []


@pytest.mark.parametrize("filename", [
    "sertifikat.pdf.html", "sertifikat.html.pdf", "x" * 5000 + ".pdf", "../../../etc/passwd", "..\\..\\boot.ini",
    "<img src=x onerror=alert(1)>.pdf", "bukti\x00.html", "bukti.pdf\x00.html", "\u202egnp.pdf", "",
])
def test_evidence_with_an_odd_name_is_kept_as_data_and_served_by_its_content(app, world, filename):
    client = signed_in(app, world["other"])
    token = token_of(client, "/me/record/trainings/new")
    response = client.post("/me/record/trainings/new", data={
        **_training(PDF, filename, "text/html", f"N/{len(filename)}"), "csrf_token": token})
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        return
    with app.app_context():
        training = db.session.scalars(select(ExternalTraining).where(ExternalTraining.user_id == world["other"].id)).one()
        assert training.evidence_type == "application/pdf"
        assert len(training.evidence_name) <= 255 and "\x00" not in training.evidence_name
        training_id = training.id
    served = client.get(f"/trainings/{training_id}/evidence")
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.headers["Content-Security-Policy"] == "sandbox"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert filename.encode("utf-8", "replace")[:40] not in served.headers.get("Content-Disposition", "").encode()


@pytest.mark.parametrize("content, filename, content_type", [
    (HTML, "gambar.png", "image/png"), (SVG, "gambar.svg", "image/svg+xml"), (SVG, "gambar.png", "image/png"),
    (PDF, "gambar.jpg", "image/jpeg"), (b"", "kosong.png", "image/png"),
])
def test_images_that_are_not_images_are_refused(app, world, content, filename, content_type):
    client = signed_in(app, world["owner"])
    token = token_of(client, f"/authoring/courses/{world['slug']}")
    before = snapshot(app)
    client.post(f"/authoring/courses/{world['slug']}/images", data={
        "csrf_token": token, "image": FileStorage(io.BytesIO(content), filename=filename, content_type=content_type)})
    assert changed_tables(before, snapshot(app)) == []


@pytest.mark.parametrize("filename", [
    "../../../etc/passwd.png", "..\\..\\x.png", "gambar.php.png", "x" * 3000 + ".png", "a/b/../../c.png",
    "<svg onload=alert(1)>.png", "gambar\x00.html", ".png", "gambar.png.html",
])
def test_an_image_with_an_odd_name_lands_in_img_with_a_clean_name(app, world, filename):
    client = signed_in(app, world["owner"])
    token = token_of(client, f"/authoring/courses/{world['slug']}")
    response = client.post(f"/authoring/courses/{world['slug']}/images", data={
        "csrf_token": token, "image": FileStorage(io.BytesIO(PNG), filename=filename, content_type="text/html")})
    assert response.status_code in (302, 400)
    with app.app_context():
        paths = db.session.scalars(select(CourseDraftFile.path).where(CourseDraftFile.path.like("img/%"))).all()
        assert db.session.scalar(select(func.count()).select_from(CourseDraftFile)) > 0
    for path in paths:
        name = path.removeprefix("img/")
        assert "/" not in name and "\\" not in name and ".." not in name and "\x00" not in name, path
        assert path.endswith((".png", ".jpg", ".gif", ".webp")), path
        assert len(path) <= 255


TRAVERSALS = [
    "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd", "img/../../../etc/passwd",
    "img/..%2f..%2f..%2fetc%2fpasswd", "img/%2e%2e/%2e%2e/course.md", "..%252f..%252fetc%252fpasswd",
    "img/....//....//etc/passwd", "img%2f..%2f..%2fetc%2fpasswd", "/etc/passwd", "img/alur.png%00.html",
    "..\\..\\etc\\passwd", "img/..\\..\\course.md", "img/./../quiz.md", "quiz.md", "course.md",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_course_files_cannot_be_reached_by_traversal(app, world, path):
    for who, base in (("other", f"/courses/{world['slug']}/files/"),
                      ("owner", f"/authoring/courses/{world['slug']}/files/")):
        client = signed_in(app, world[who])
        response = client.get(base + path)
        if response.status_code == 308:  # werkzeug merges doubled slashes: same site, same rule
            assert response.headers["Location"].startswith("http://localhost" + base), response.headers["Location"]
            response = client.get(response.headers["Location"])
        assert response.status_code in (400, 404), (base + path, response.status_code)
        body = response.get_data()
        assert b"root:" not in body and b"passing_score" not in body and b"::nilai::" not in body


def test_the_image_itself_is_served(app, world):
    """The control for the traversals: the exact path works."""
    response = signed_in(app, world["other"]).get(f"/courses/{world['slug']}/files/img/alur.png")
    assert response.status_code == 200 and response.data == PNG
    assert "sandbox" in response.headers["Content-Security-Policy"]
