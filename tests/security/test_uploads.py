"""Uploads and paths: the type of an upload is read from its content, never from its name or the
browser's label, and evidence must be what it claims to be, whole and without anything a viewer
would run; odd names are stored harmlessly; course files are only found by exact path."""
import io

import pytest
from PIL import Image
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from elearn.extensions import db
from elearn.models import CourseDraftFile, ExternalTraining
from tests.coursefiles import PNG
from tests.evidence import PDF, action, image, pdf
from tests.security.conftest import changed_tables, signed_in, snapshot, token_of

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


def _send_evidence(app, user, content: bytes, filename: str):
    """The report form sent in English with ``content`` as evidence: the response, and the
    tables that changed."""
    client = signed_in(app, user)
    token = token_of(client, "/me/record/trainings/new")
    before = snapshot(app)
    response = client.post("/me/record/trainings/new?lang=en", data={
        **_training(content, filename, "application/octet-stream", "LKPP/77/2026"), "csrf_token": token})
    return response, changed_tables(before, snapshot(app))


def _refused_with(response, changed, message: str) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="LKPP/77/2026"' in page and 'value="Pelatihan"' in page
    assert changed == []


SCRIPTED = "The PDF contains scripts, commands that start other programs or attached files."


@pytest.mark.parametrize("content, message", [
    (b"%PDF-1.7\n" + bytes(range(256)) * 8, "The PDF cannot be read"),
    (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "The PDF cannot be read"),
    (pdf()[: len(pdf()) // 2], "The PDF cannot be read"),
    (pdf(pages=0), "The PDF has no pages."),
])
def test_a_file_that_only_starts_like_a_pdf_is_refused(app, world, content, message):
    _refused_with(*_send_evidence(app, world["other"], content, "sertifikat.pdf"), message)


def _escaped_names(data: bytes) -> bytes:
    """The same PDF with its names spelled in #xx escapes, as a filter that greps bytes misses."""
    return data.replace(b"/JS ", b"/J#53 ").replace(b"/JavaScript", b"/Java#53cript")


def _catalog(key: str, value):
    def change(writer, page):
        writer.root_object[NameObject(key)] = value
    return change


def _page_action(trigger: str, page_action):
    def change(writer, page):
        page[NameObject("/AA")] = DictionaryObject({NameObject(trigger): page_action})
    return change


def _script():
    return action("/JavaScript", JS="app.alert(1)")


def _launch():
    return action("/Launch", F="cmd.exe")


@pytest.mark.parametrize("content", [
    pytest.param(pdf(_catalog("/OpenAction", _script())), id="opening javascript"),
    pytest.param(pdf(_catalog("/OpenAction", _launch())), id="opening launch"),
    pytest.param(pdf(_page_action("/O", _script())), id="page opened javascript"),
    pytest.param(pdf(_page_action("/C", _launch())), id="page closed launch"),
    pytest.param(pdf(lambda writer, page: writer.add_open_action(JavaScript("app.alert(1)"))),
                 id="document javascript"),
    pytest.param(pdf(lambda writer, page: writer.add_attachment("bukti.exe", b"MZ\x90\x00" + bytes(64))),
                 id="attached file"),
    pytest.param(_escaped_names(pdf(_catalog("/OpenAction", _script()))), id="escaped names"),
])
def test_a_pdf_that_runs_script_or_starts_a_program_is_refused(app, world, content):
    _refused_with(*_send_evidence(app, world["other"], content, "sertifikat.pdf"), SCRIPTED)


def test_a_pdf_that_opens_only_with_a_password_is_refused(app, world):
    locked = pdf(lambda writer, page: writer.encrypt("rahasia", "pemilik", algorithm="RC4-128"))
    _refused_with(*_send_evidence(app, world["other"], locked, "sertifikat.pdf"),
                  "The PDF is protected with a password or an encryption that cannot be checked.")


def _stored_evidence(app, user) -> tuple[str, bytes]:
    with app.app_context():
        training = db.session.scalars(select(ExternalTraining).where(ExternalTraining.user_id == user.id)).one()
        return training.evidence_type, training.evidence


@pytest.mark.parametrize("content, filename, media_type", [
    (PDF, "sertifikat.pdf", "application/pdf"),
    # A link to the issuer's verification page is an action too, and a harmless one.
    (pdf(_catalog("/OpenAction", action("/URI", URI="https://lkpp.example.go.id/verifikasi"))), "sertifikat.pdf",
     "application/pdf"),
    # Locked against editing only, as issuers often send certificates: it opens without a password.
    (pdf(lambda writer, page: writer.encrypt("", "pemilik", algorithm="RC4-128")), "sertifikat.pdf",
     "application/pdf"),
    (image("PNG"), "sertifikat.png", "image/png"),
    (image("JPEG"), "sertifikat.jpg", "image/jpeg"),
])
def test_a_real_pdf_png_or_jpeg_is_accepted(app, world, content, filename, media_type):
    response, changed = _send_evidence(app, world["other"], content, filename)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "external_trainings" in changed
    assert _stored_evidence(app, world["other"]) == (media_type, content)


@pytest.mark.parametrize("content, filename", [
    (image("PNG")[: len(image("PNG")) // 2], "foto.png"),
    (image("PNG")[:-12], "foto.png"),
    (image("JPEG")[: len(image("JPEG")) // 2], "foto.jpg"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "foto.png"),
])
def test_an_image_cut_short_or_damaged_is_refused(app, world, content, filename):
    _refused_with(*_send_evidence(app, world["other"], content, filename), "The image cannot be read")


def test_an_image_past_the_pixel_limit_is_refused(app, world, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    # Past twice the limit Pillow refuses by itself; between the limit and twice it, it only warns.
    refused = _send_evidence(app, world["other"], image("PNG", (100, 100)), "besar.png")
    _refused_with(*refused, "The image has too many pixels.")
    with pytest.warns(Image.DecompressionBombWarning):
        warned = _send_evidence(app, world["other"], image("PNG", (40, 40)), "besar.png")
    _refused_with(*warned, "The image has too many pixels.")
    accepted, _changed = _send_evidence(app, world["other"], image("PNG", (30, 30)), "kecil.png")
    assert accepted.status_code == 302


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
