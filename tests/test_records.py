"""The development record: completed courses and verified external trainings, JP per year
against the target, HR verification, and the record as CSV and PDF."""
import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from elearn.extensions import db
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import AuditEvent, Course, ExternalTraining, RecordEntry, User
from elearn.records import operations
from elearn.records.ledger import state_of
from elearn.timeutil import local_date, utcnow
from tests.conftest import Auth
from tests.evidence import PDF, image
from tests.html import csrf_token

NIP = "198503122010011002"
PNG = image("PNG")
YEAR = local_date(utcnow()).year


@pytest.fixture
def learner(app, make_user, make_course):
    user = make_user(nip=NIP, name="Budi Santoso")
    slug = make_course(quiz=False)
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        enrolment = enrol(db.session.get(User, user.id), course)
        for lesson in course.active_lessons:
            complete_lesson(enrolment, lesson, utcnow())
        assert complete_if_done(enrolment, utcnow()) is not None
        db.session.commit()
    return user


@pytest.fixture
def hr(make_user):
    return make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id", name="Petugas BKPSDM")


def signed_in(app, login):
    client = app.test_client()
    assert Auth(client).login(login).status_code == 302
    return client


def post(client, url, data, page=None):
    token = csrf_token(client.get(page or url))
    return client.post(url, data={**data, "csrf_token": token})


def training_form(evidence=(PDF, "sertifikat.pdf"), **fields):
    data = {
        "title": "Pelatihan Pengadaan Barang/Jasa", "training_type": "3", "organiser": "LKPP",
        "competency": "teknis", "started_on": f"{YEAR}-01-05", "ended_on": f"{YEAR}-01-07", "jp": "24",
        "certificate_number": "LKPP/123/2026",
    }
    data.update(fields)
    if evidence is not None:
        data["evidence"] = FileStorage(io.BytesIO(evidence[0]), filename=evidence[1])
    return data


def report(client, **kwargs):
    page = client.get("/me/record/trainings/new")
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart({**training_form(**kwargs), "csrf_token": csrf_token(page)})
    return client.post("/me/record/trainings/new", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_completed_course_is_in_the_record_with_its_jp(app, learner):
    client = signed_in(app, NIP)
    page = client.get("/me/record").get_data(as_text=True)
    assert "Etika Pelayanan di Kantor Kelurahan" in page
    with app.app_context():
        course_jp = db.session.scalar(select(Course.jp))
    assert f"<strong>{course_jp:g}</strong> / 20 JP".replace(".", ",") in page


def test_an_external_training_counts_only_once_verified(app, learner, hr):
    client = signed_in(app, NIP)
    response = report(client)
    assert response.status_code == 302
    assert count(app, ExternalTraining, ExternalTraining.status == "pending") == 1
    assert count(app, RecordEntry, RecordEntry.source == "external") == 0
    assert "Menunggu BKPSDM" in client.get("/me/record").get_data(as_text=True)

    staff = signed_in(app, hr.email)
    with app.app_context():
        training_id = db.session.scalar(select(ExternalTraining.id))
    queue = staff.get("/hr/trainings").get_data(as_text=True)
    assert "Pelatihan Pengadaan Barang/Jasa" in queue and "Budi Santoso" in queue
    post(staff, f"/hr/trainings/{training_id}/verify", {}, page="/hr/trainings")
    post(staff, f"/hr/trainings/{training_id}/verify", {}, page="/hr/trainings")
    with app.app_context():
        entries = db.session.scalars(select(RecordEntry).where(RecordEntry.source == "external")).all()
        assert [(e.jp, e.year, e.training_type, e.certificate_number) for e in entries] == [
            (24.0, YEAR, 3, "LKPP/123/2026")]
        course_jp = db.session.scalar(select(Course.jp))
    page = client.get(f"/me/record?year={YEAR}").get_data(as_text=True)
    assert f"<strong>{24 + course_jp:g}</strong>".replace(".", ",") in page
    assert count(app, AuditEvent, AuditEvent.action == "training.verify") == 1


def test_a_rejection_needs_a_reason_and_the_employee_sees_it(app, learner, hr):
    client = signed_in(app, NIP)
    report(client)
    staff = signed_in(app, hr.email)
    with app.app_context():
        training_id = db.session.scalar(select(ExternalTraining.id))
    post(staff, f"/hr/trainings/{training_id}/reject", {"reason": "  "}, page="/hr/trainings")
    assert count(app, ExternalTraining, ExternalTraining.status == "pending") == 1
    post(staff, f"/hr/trainings/{training_id}/reject", {"reason": "Sertifikat tidak terbaca"}, page="/hr/trainings")
    page = client.get("/me/record").get_data(as_text=True)
    assert "Ditolak" in page and "Sertifikat tidak terbaca" in page
    assert count(app, RecordEntry, RecordEntry.source == "external") == 0
    assert count(app, AuditEvent, AuditEvent.action == "training.reject") == 1


def _pending_training(app, learner) -> int:
    assert report(signed_in(app, NIP)).status_code == 302
    with app.app_context():
        return db.session.scalar(select(ExternalTraining.id))


def test_a_reason_longer_than_1000_characters_is_refused_and_kept(app, learner, hr):
    training_id = _pending_training(app, learner)
    reason = ("Nomor sertifikat tidak sesuai dengan data penyelenggara; " * 18)[:1000] + "."
    assert len(reason) == 1001
    response = post(signed_in(app, hr.email), f"/hr/trainings/{training_id}/reject?lang=en", {"reason": reason},
                    page="/hr/trainings")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The reason is 1001 characters long; it can be at most 1000." in page
    assert f'value="{reason}"' in page
    with app.app_context():
        training = db.session.get(ExternalTraining, training_id)
        assert (training.status, training.reason) == ("pending", None)
    # The operation refuses too, for callers that have no form in front of it.
    with app.test_request_context("/?lang=en"):
        training = db.session.get(ExternalTraining, training_id)
        with pytest.raises(operations.RecordError, match="1001 characters"):
            operations.reject(db.session.get(User, hr.id), training, reason, utcnow())
    assert count(app, AuditEvent, AuditEvent.action == "training.reject") == 0


def test_a_reason_of_1000_characters_is_kept_whole(app, learner, hr):
    training_id = _pending_training(app, learner)
    reason = ("Tanggal pada sertifikat berbeda dengan tanggal yang dilaporkan. " * 16)[:999] + "."
    response = post(signed_in(app, hr.email), f"/hr/trainings/{training_id}/reject", {"reason": reason},
                    page="/hr/trainings")
    assert response.status_code == 302
    with app.app_context():
        training = db.session.get(ExternalTraining, training_id)
        assert (training.status, training.reason) == ("rejected", reason)


def test_hr_cannot_verify_their_own_training(app, make_user):
    officer = make_user(roles=("hr",), nip=NIP, name="Petugas Sendiri")
    client = signed_in(app, officer.nip)
    report(client)
    with app.app_context():
        training_id = db.session.scalar(select(ExternalTraining.id))
    post(client, f"/hr/trainings/{training_id}/verify", {}, page="/hr/trainings")
    assert count(app, RecordEntry) == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({"evidence": (b"MZ\x90\x00" + b"\x00" * 100, "sertifikat.pdf")}, "harus berupa berkas PDF, JPEG, atau PNG"),
    ({"evidence": (b"%PDF-" + b"0" * (2 * 1024 * 1024), "besar.pdf")}, "lebih besar dari 2 MB"),
    ({"evidence": None}, "Lampirkan sertifikat"),
    ({"ended_on": f"{YEAR}-01-01"}, "tidak dapat berakhir sebelum"),
    ({"ended_on": f"{YEAR + 1}-12-31"}, "setelah pelatihan selesai"),
    ({"jp": "-3"}, "JP harus di antara"),
    ({"jp": "sNaN"}, "JP harus di antara"),
    ({"jp": "Infinity"}, "JP harus di antara"),
    ({"jp": "banyak"}, "Bukan angka desimal yang sah"),
    ({"started_on": "kemarin"}, "Masukkan tanggal"),
    ({"title": ""}, "Masukkan nama pelatihan"),
    ({"training_type": "999"}, "Bukan pilihan yang sah"),
])
def test_bad_reports_are_refused_and_keep_what_was_typed(app, learner, fields, message):
    client = signed_in(app, NIP)
    response = report(client, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert "LKPP/123/2026" in page
    assert count(app, ExternalTraining) == 0


def test_an_upload_far_too_large_is_refused_before_reading(app, learner):
    client = signed_in(app, NIP)
    response = report(client, evidence=(b"%PDF-" + b"0" * (50 * 1024 * 1024), "besar.pdf"))
    assert response.status_code == 413
    assert count(app, ExternalTraining) == 0


def test_evidence_is_for_its_owner_and_hr_only(app, learner, hr, make_user):
    client = signed_in(app, NIP)
    report(client, evidence=(PNG, "foto.png"))
    with app.app_context():
        training_id = db.session.scalar(select(ExternalTraining.id))
    url = f"/trainings/{training_id}/evidence"
    own = client.get(url)
    assert own.status_code == 200 and own.mimetype == "image/png" and own.data == PNG
    assert signed_in(app, hr.email).get(url).status_code == 200
    other = make_user(nip="199001012015012001", name="Pegawai Lain")
    assert signed_in(app, other.nip).get(url).status_code == 404


def test_the_record_downloads_as_csv_and_pdf(app, learner, hr):
    client = signed_in(app, NIP)
    body = client.get("/me/record.csv").data.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert [(r["sumber"], r["jenis_diklat_id"], r["nama"]) for r in rows] == [
        ("course", "16", "Etika Pelayanan di Kantor Kelurahan")]
    assert rows[0]["nomor_sertifikat"].endswith(f"/{YEAR}")
    pdf = client.get("/me/record.pdf")
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert pdf.mimetype == "application/pdf" and "Budi Santoso" in text and NIP in text

    staff = signed_in(app, hr.email)
    assert staff.get(f"/hr/people/{learner.id}/record.csv").status_code == 200
    assert count(app, AuditEvent, AuditEvent.action == "record.export") == 1
    assert signed_in(app, NIP).get(f"/hr/people/{learner.id}/record").status_code == 403


@pytest.mark.parametrize("year", ["99999", "abc", "1900", "-1", "²", "٢٠٢٦"])
def test_a_nonsense_year_is_a_clear_400(app, learner, year):
    response = signed_in(app, NIP).get(f"/me/record?year={year}")
    assert response.status_code == 400 and "Tidak ada riwayat untuk tahun itu" in response.get_data(as_text=True)


@pytest.mark.parametrize(("total", "today", "expected"), [
    (20, date(2026, 3, 1), "met"),
    (5, date(2026, 3, 1), "on_track"),    # 20 × 60/365 ≈ 3.3 JP expected by 1 March
    (2, date(2026, 3, 1), "behind"),
    (19.5, date(2026, 12, 31), "behind"),
])
def test_the_state_compares_the_jp_with_the_days_gone_by(total, today, expected):
    assert state_of(total, 20, 2026, today) == expected


def test_a_past_year_that_ended_short_is_behind_and_a_future_one_on_track():
    assert state_of(10, 20, 2025, date(2026, 1, 2)) == "behind"
    assert state_of(0, 20, 2027, date(2026, 12, 31)) == "on_track"


def test_the_same_certificate_cannot_be_reported_twice_unless_it_was_rejected(app, learner, hr):
    client = signed_in(app, NIP)
    assert report(client).status_code == 302
    again = report(client, certificate_number="lkpp/123/2026")
    assert again.status_code == 400 and "sudah melaporkan pelatihan dengan nomor sertifikat ini" in again.get_data(
        as_text=True)
    with app.app_context():
        training_id = db.session.scalar(select(ExternalTraining.id))
    post(signed_in(app, hr.email), f"/hr/trainings/{training_id}/reject", {"reason": "Tanggal keliru"},
         page="/hr/trainings")
    assert report(client).status_code == 302
    assert count(app, ExternalTraining) == 2


def test_a_training_is_credited_once_even_when_reported_twice_at_once(app, learner, hr):
    with app.app_context():
        person, officer = db.session.get(User, learner.id), db.session.get(User, hr.id)
        fields = {"title": "Bimtek", "training_type": 8, "organiser": "BKN", "competency": "teknis",
                  "started_on": date(YEAR, 1, 5), "ended_on": date(YEAR, 1, 6), "jp": 16.0,
                  "certificate_number": "BKN/9", "tags": []}
        # Two uploads that crossed: the second was stored before the first was verified.
        first = operations.submit(person, fields, "a.pdf", PDF)
        second = ExternalTraining(user_id=person.id, evidence=PDF, evidence_name="b.pdf",
                                  evidence_type="application/pdf", evidence_size=len(PDF), **fields)
        db.session.add(second)
        operations.verify(officer, first, utcnow())
        with pytest.raises(operations.RecordError):
            operations.verify(officer, second, utcnow())
        own_number = db.session.scalar(select(RecordEntry.certificate_number).where(RecordEntry.source == "course"))
    response = report(signed_in(app, NIP), certificate_number=own_number)
    assert response.status_code == 400 and "sudah melaporkan" in response.get_data(as_text=True)


def test_text_that_looks_like_a_formula_is_not_one_in_the_csv(app, learner, hr):
    client = signed_in(app, NIP)
    report(client, title='=HYPERLINK("http://contoh.invalid","x")', certificate_number="+1+1")
    with app.app_context():
        training_id = db.session.scalar(select(ExternalTraining.id))
    post(signed_in(app, hr.email), f"/hr/trainings/{training_id}/verify", {}, page="/hr/trainings")
    rows = list(csv.DictReader(io.StringIO(client.get("/me/record.csv").data.decode("utf-8")[1:])))
    external_row = next(r for r in rows if r["sumber"] == "external")
    assert external_row["nama"].startswith("'=") and external_row["nomor_sertifikat"] == "'+1+1"
