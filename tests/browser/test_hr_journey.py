"""An HR officer of BKPSDM at work: brings in the roster (one bad row first), assigns a course to a
unit, takes the completion report as CSV and XLSX and the SIASN export, and verifies a training
that an employee reported from their own phone or desk."""
import codecs
import csv
import io
from datetime import timedelta

import openpyxl
from playwright import sync_api
from sqlalchemy import select

from elearn.extensions import db
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import Course, User
from elearn.timeutil import local_date, utcnow
from tests.coursefiles import course_files
from tests.evidence import PDF

HR = "kepegawaian@bkpsdm.example.go.id"
SARI = {"nip": "198702142010012004", "name": "Sari Damanik"}
TITLE = "Etika Pelayanan di Kantor Kelurahan"
# Two lessons of 15 minutes and no quiz: 30 minutes, 0.67 JP, which SIASN takes as 1 whole hour.
SIASN_HOURS = "1"

ROSTER_HEAD = "nip,nama,email,unit,jabatan,golongan,jenis,tempat_lahir,tanggal_lahir\n"
ROSTER_GOOD = "199203152015031002,Andi Sitompul,,DINKES,Perawat Ahli Pertama,III/a,PNS,Pematangsiantar,1992-03-15\n"
# Month 13 in the NIP: no one is born then.
ROSTER_BAD = "199413082019032001,Maria Simanjuntak,,DINKES,Bidan Terampil,II/c,PNS,Medan,\n"
ROSTER_FIXED = "199410082019032001,Maria Simanjuntak,,DINKES,Bidan Terampil,II/c,PNS,Medan,1994-10-08\n"

def sari_completed_the_course(app) -> None:
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "etika-pelayanan"))
        sari = db.session.scalar(select(User).where(User.nip == SARI["nip"]))
        enrolment = enrol(sari, course)
        now = utcnow()
        for lesson in course.active_lessons:
            complete_lesson(enrolment, lesson, now)
        assert complete_if_done(enrolment, now) is not None
        db.session.commit()


def csv_upload(text: str) -> dict:
    return {"name": "pegawai.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def read_csv(path) -> list[dict]:
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(data[len(codecs.BOM_UTF8):].decode("utf-8"))))


def read_xlsx(path) -> list[dict]:
    workbook = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_hr_journey(journey, app, make_unit, make_user, make_course, tmp_path):
    dinkes = make_unit("DINKES", "Dinas Kesehatan")
    make_unit("DISDIK", "Dinas Pendidikan")
    make_course(files=course_files(quiz=False))
    make_user(roles=("hr",), email=HR, name="Rina Marpaung")
    make_user(nip=SARI["nip"], name=SARI["name"], unit_id=dinkes.id)
    sari_completed_the_course(app)
    today = local_date(utcnow())
    page = journey.page

    # Sari reports a training she took elsewhere, with its certificate.
    with journey.stranger() as sari:
        sari.login(SARI["nip"])
        sari.follow(sari.page.get_by_role("link", name="Laporkan pelatihan eksternal"))
        form = sari.page.locator("main form")
        form.get_by_label("Nama pelatihan").fill("Pelatihan Pengadaan Barang/Jasa")
        form.get_by_label("Penyelenggara").fill("LKPP")
        form.get_by_label("Tanggal mulai").fill((today - timedelta(days=30)).isoformat())
        form.get_by_label("Tanggal selesai").fill((today - timedelta(days=28)).isoformat())
        form.get_by_label("JP", exact=True).fill("24")
        form.get_by_label("Nomor sertifikat").fill("LKPP/123/2026")
        form.get_by_label("Sertifikat atau bukti lain").set_input_files(
            {"name": "sertifikat-lkpp.pdf", "mimeType": "application/pdf", "buffer": PDF})
        sari.follow(form.get_by_role("button", name="Kirim ke BKPSDM"))
        sync_api.expect(sari.page.locator(".flash")).to_contain_text("dikirim ke BKPSDM untuk diverifikasi")

    journey.login(HR)

    # The roster: the bad row is named with what is wrong, and nothing is imported until it is right.
    journey.follow(page.get_by_role("link", name="Impor daftar pegawai (CSV)"))
    upload = page.get_by_label("Berkas CSV")
    upload.set_input_files(csv_upload(ROSTER_HEAD + ROSTER_GOOD + ROSTER_BAD))
    journey.follow(page.get_by_role("button", name="Periksa dan impor"))
    problems = page.locator("section.errors")
    sync_api.expect(problems.locator("h2")).to_have_text("Tidak ada yang diimpor: ditemukan 1 masalah")
    sync_api.expect(problems.locator("tbody tr")).to_have_count(1)
    sync_api.expect(problems.locator("tbody tr td").first).to_have_text("3")
    sync_api.expect(problems.locator("tbody tr")).to_contain_text("8 digit pertama bukan tanggal lahir yang valid")
    upload.set_input_files(csv_upload(ROSTER_HEAD + ROSTER_GOOD + ROSTER_FIXED))
    journey.follow(page.get_by_role("button", name="Periksa dan impor"))
    sync_api.expect(page.locator(".flash")).to_contain_text("Impor selesai: 2 baru, 0 diperbarui.")
    sync_api.expect(page.locator("main table")).to_contain_text("Maria Simanjuntak")

    # The course goes to everyone in the health office: Sari, who has it already, and the two newcomers.
    journey.menu("Beranda")
    journey.follow(page.get_by_role("link", name="Penugasan", exact=True))
    journey.follow(page.get_by_role("link", name="Tugaskan kursus"))
    page.get_by_label("Kursus", exact=True).select_option(label=TITLE)
    page.get_by_label("Tanggal batas").fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("Unit kerja").select_option(label="DINKES — Dinas Kesehatan")
    journey.follow(page.get_by_role("button", name="Tugaskan", exact=True))
    sync_api.expect(page.locator(".flash")).to_contain_text(f"{TITLE} ditugaskan kepada 3 pegawai.")
    rows = page.locator("main tbody tr")
    sync_api.expect(rows.filter(has_text=SARI["name"])).to_contain_text("Selesai")
    sync_api.expect(rows.filter(has_text="Andi Sitompul")).to_contain_text("Belum dimulai")
    sync_api.expect(rows.filter(has_text="Maria Simanjuntak")).to_contain_text("Belum dimulai")

    # The completion report, in the two formats HR works with.
    journey.menu("Laporan")
    card = page.locator(".card").filter(has=page.get_by_role("heading", name="Penyelesaian kursus"))
    for rows in (read_csv(journey.download(card.get_by_role("link", name="CSV"), tmp_path)),
                 read_xlsx(journey.download(card.get_by_role("link", name="XLSX"), tmp_path))):
        [done] = [row for row in rows if row["selesai"]]
        assert (done["nip"], done["nama"], done["unit"], done["kursus"]) == (
            SARI["nip"], SARI["name"], "Dinas Kesehatan", TITLE)
        assert str(done["selesai"])[:10] == today.isoformat() and done["nomor_sertifikat"]

    # Sari's external training, checked against its certificate and verified.
    journey.menu("Beranda")
    journey.follow(page.get_by_role("link", name="Pelatihan eksternal", exact=True))
    row = page.locator("main tbody tr").filter(has_text=SARI["name"])
    sync_api.expect(row).to_contain_text("Pelatihan Pengadaan Barang/Jasa")
    journey.follow(row.get_by_role("button", name="Verifikasi"))
    verified = f"Terverifikasi: 24 JP ditambahkan ke riwayat {SARI['name']}."
    sync_api.expect(page.locator(".flash")).to_contain_text(verified)
    sync_api.expect(page.locator(".empty")).to_be_visible()

    # Both trainings, in the shape SIASN takes.
    journey.menu("Laporan")
    journey.follow(page.locator(".card").filter(has_text="Ekspor untuk SIASN").get_by_role("link", name="Buka"))
    siasn = read_csv(journey.download(page.get_by_role("button", name="Unduh CSV"), tmp_path))
    assert sorted((row["nip"], row["namaKursus"], row["jumlahJam"]) for row in siasn) == [
        (SARI["nip"], TITLE, SIASN_HOURS), (SARI["nip"], "Pelatihan Pengadaan Barang/Jasa", "24")]

    # Sari, with 24 JP and then some, is the one of three who has reached this year's 20.
    journey.menu("Dasbor")
    sync_api.expect(page.locator(".figures li").first).to_contain_text("1 / 3")
    journey.screenshot("hr-dashboard")
