"""The SIASN export: exactly SIASN's course-record fields, one row per completed course or
verified external training in the period, and the certificates in the ZIP."""
import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from elearn.extensions import db
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import AuditEvent, Certificate, Course, RecordEntry, User
from elearn.records import operations as external
from elearn.timeutil import local_date, utcnow
from tests.conftest import Auth
from tests.evidence import PDF

TODAY = local_date(utcnow())
HEADER = ["nip", "jenisDiklatId", "namaKursus", "institusiPenyelenggara", "nomorSertipikat", "jumlahJam",
          "tahunKursus", "tanggalKursus", "tanggalSelesaiKursus", "dokumen"]
EVIDENCE = PDF


@pytest.fixture
def history(app, make_unit, make_user, make_course):
    dinkes = make_unit("DINKES", "Dinas Kesehatan")
    disdik = make_unit("DISDIK", "Dinas Pendidikan")
    nurse = make_user(name="Ani Perawat", nip="198503122010012002", unit_id=dinkes.id)
    teacher = make_user(name="Citra Guru", nip="198807072012012004", unit_id=disdik.id)
    contractor = make_user(name="Tenaga Ahli", email="ahli@pemko.example.go.id", unit_id=dinkes.id)
    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id", name="Petugas BKPSDM")
    slug = make_course(quiz=False)
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        for person in (nurse, teacher, contractor):
            enrolment = enrol(db.session.get(User, person.id), course)
            for lesson in course.active_lessons:
                complete_lesson(enrolment, lesson, utcnow())
            complete_if_done(enrolment, utcnow())
        training = external.submit(db.session.get(User, nurse.id), {
            "title": "Bimbingan Teknis SIASN", "training_type": 8, "organiser": "BKN Regional VI",
            "competency": "teknis", "started_on": TODAY - timedelta(days=3), "ended_on": TODAY - timedelta(days=2),
            "jp": 16.0, "certificate_number": "BKN/VI/77/2026"}, "bukti.pdf", EVIDENCE)
        external.verify(db.session.get(User, hr.id), training, utcnow())
        old = external.submit(db.session.get(User, nurse.id), {
            "title": "Diklat Lama", "training_type": 3, "organiser": "BPSDM Provinsi", "competency": "teknis",
            "started_on": date(2019, 3, 1), "ended_on": date(2019, 3, 5), "jp": 40.0,
            "certificate_number": "BPSDM/2019/1"}, "lama.pdf", EVIDENCE)
        external.verify(db.session.get(User, hr.id), old, utcnow())
        db.session.commit()
        nurse_certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == nurse.id))
        return {"hr": hr, "course": course.title, "organiser": course.organiser, "course_jp": course.jp,
                "nurse_certificate": nurse_certificate.number}


def staff(app, history):
    client = app.test_client()
    Auth(client).login(history["hr"].email)
    return client


def rows_of(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_has_exactly_siasns_fields_for_each_training_of_the_period(app, history):
    response = staff(app, history).get(f"/hr/reports/siasn.csv?from={TODAY.year}-01-01&to={TODAY.isoformat()}")
    header, *rows = rows_of(response.data)
    assert header == HEADER
    hours = str(max(1, round(history["course_jp"])))
    start = TODAY - timedelta(days=3)
    assert sorted(rows) == sorted([
        ["198503122010012002", "16", history["course"], history["organiser"], history["nurse_certificate"], hours,
         str(TODAY.year), TODAY.isoformat(), TODAY.isoformat(), ""],
        ["198503122010012002", "8", "Bimbingan Teknis SIASN", "BKN Regional VI", "BKN/VI/77/2026", "16",
         str(TODAY.year), start.isoformat(), (TODAY - timedelta(days=2)).isoformat(), ""],
        [row for row in rows if row[0] == "198807072012012004"][0],
    ])
    assert [row[0] for row in rows].count("198807072012012004") == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "report.export")) == 1


def test_the_unit_filter_keeps_one_units_people(app, history):
    response = staff(app, history).get("/hr/reports/siasn.csv?unit=DISDIK")
    _, *rows = rows_of(response.data)
    assert {row[0] for row in rows} == {"198807072012012004"}


def test_an_earlier_period_finds_the_old_training(app, history):
    _, *rows = rows_of(staff(app, history).get("/hr/reports/siasn.csv?from=2019-01-01&to=2019-12-31").data)
    assert [(row[2], row[5], row[6]) for row in rows] == [("Diklat Lama", "40", "2019")]


def test_the_zip_holds_the_csv_and_every_certificate_named_by_nip_and_number(app, history):
    response = staff(app, history).get("/hr/reports/siasn.zip?unit=DINKES")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    header, *rows = rows_of(archive.read("riwayat-kursus.csv"))
    documents = {row[9]: row for row in rows}
    number = history["nurse_certificate"].replace("/", "-")
    assert set(documents) == {f"198503122010012002_{number}.pdf", "198503122010012002_BKN-VI-77-2026.pdf"}
    assert set(archive.namelist()) == {"riwayat-kursus.csv", *documents}
    assert archive.read("198503122010012002_BKN-VI-77-2026.pdf") == EVIDENCE
    text = PdfReader(io.BytesIO(archive.read(f"198503122010012002_{number}.pdf"))).pages[0].extract_text()
    assert "Ani Perawat" in text and history["nurse_certificate"] in text


@pytest.mark.parametrize(("query", "message"), [
    ("from=2026-05-01&to=2026-01-01", "Tanggal awal jatuh setelah tanggal akhir"),
    ("unit=TIDAK-ADA", "Tidak ada unit kerja dengan kode"),
    ("from=kemarin", "YYYY-MM-DD"),
    ("from=99999-01-01", "YYYY-MM-DD"),
])
def test_bad_filters_are_a_clear_400(app, history, query, message):
    client = staff(app, history)
    for url in (f"/hr/reports/siasn?{query}", f"/hr/reports/siasn.csv?{query}", f"/hr/reports/siasn.zip?{query}"):
        response = client.get(url)
        response.close()
        assert response.status_code == 400 and message in response.get_data(as_text=True), url


def test_learners_cannot_export(app, history):
    client = app.test_client()
    Auth(client).login("198503122010012002")
    assert client.get("/hr/reports/siasn.csv").status_code == 403
    assert client.get("/hr/reports/siasn.zip").status_code == 403


def test_a_certificate_revoked_while_its_record_entry_stayed_is_left_out(app, history):
    """Before revoking removed the record entry, a revoked certificate kept it: such an entry
    must not reach SIASN, neither as a row nor as a PDF in the ZIP."""
    with app.app_context():
        db.session.execute(update(Certificate).where(Certificate.number == history["nurse_certificate"])
                           .values(revoked_at=utcnow(), revoked_reason="Data peserta keliru"))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(RecordEntry)
                                 .where(RecordEntry.certificate_number == history["nurse_certificate"])) == 1
    client = staff(app, history)
    _, *rows = rows_of(client.get(f"/hr/reports/siasn.csv?from={TODAY.year}-01-01&to={TODAY.isoformat()}").data)
    assert {row[4] for row in rows if row[0] == "198503122010012002"} == {"BKN/VI/77/2026"}
    response = client.get("/hr/reports/siasn.zip?unit=DINKES")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    assert sorted(archive.namelist()) == ["198503122010012002_BKN-VI-77-2026.pdf", "riwayat-kursus.csv"]
