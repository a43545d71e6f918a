"""A learner's whole way through a course, on a phone and on a desktop: signs in with the NIP,
finds and joins a course, reads it, fails the quiz, passes it, downloads the certificate, checks
it on the public verification page and sees the hours on the home and record pages."""
from io import BytesIO
from urllib.parse import urlsplit

import pypdfium2
import zxingcpp
from playwright import sync_api
from pypdf import PdfReader


NIP = "198503122010011002"
NAME = "Budi Santoso Siregar"
TITLE = "Etika Pelayanan di Kantor Kelurahan"
# The test course: two lessons of 15 minutes and a 15-minute quiz, 45 minutes in all.
JP = "1"


def take_quiz(journey, number: int, choice: str, hour: str) -> sync_api.Locator:
    """One attempt from its start to its result; returns the result's panel."""
    page = journey.page
    journey.follow(page.get_by_role("button", name="Mulai kuis"))
    page.locator("label.choice", has_text=choice).locator("input").check()
    page.locator("input[name=q-jam-buka]").fill(hour)
    journey.follow(page.get_by_role("button", name="Kumpulkan kuis"))
    sync_api.expect(page.locator("h1")).to_have_text(f"Hasil percobaan {number}")
    return page.locator(".result")


def test_learner_journey(journey, make_course, make_user, tmp_path):
    make_course()
    make_user(nip=NIP, name=NAME)
    page = journey.page

    journey.login(NIP)
    sync_api.expect(page.locator("h1")).to_have_text(f"Selamat datang, {NAME}")
    sync_api.expect(page.locator(".empty")).to_contain_text("Anda belum mengikuti kursus apa pun.")

    journey.menu("Kursus")
    journey.follow(page.get_by_role("link", name=TITLE))
    sync_api.expect(page.locator(".badge").first).to_have_text(f"{JP} JP")
    journey.follow(page.get_by_role("button", name="Ikuti kursus ini"))

    # The first lesson: its knowledge check answers on the spot.
    sync_api.expect(page.locator("h1")).to_have_text("Pelajaran 1")
    check = page.locator("section.knowledge-check").first
    check.locator("input[value=true]").check()
    check.get_by_role("button").click()
    sync_api.expect(check.locator(".check-feedback")).to_contain_text("Benar!")
    journey.screenshot("lesson")
    journey.follow(page.get_by_role("button", name="Selesai, lanjut"))
    sync_api.expect(page.locator("h1")).to_have_text("Pelajaran 2")
    sync_api.expect(page.locator(".toc")).to_contain_text("Kemajuan: 50%")
    journey.follow(page.get_by_role("button", name="Selesai, lanjut"))

    # Both lessons read, the quiz comes next: a first attempt that fails, a second that passes.
    sync_api.expect(page.locator("h1")).to_have_text("Kuis Akhir")
    result = take_quiz(journey, 1, "Loyal", "9")
    sync_api.expect(result.locator(".verdict")).to_contain_text("Tidak lulus")
    journey.follow(page.get_by_role("link", name="Coba lagi"))
    sync_api.expect(page.locator("main")).to_contain_text("Sisa 2 kali percobaan")
    result = take_quiz(journey, 2, "Berorientasi Pelayanan", "8")
    sync_api.expect(result.locator(".score")).to_have_text("100")
    sync_api.expect(result.locator(".verdict")).to_contain_text("Lulus")
    sync_api.expect(result.locator(".status")).to_have_text("Kursus telah selesai.")
    journey.screenshot("quiz-result")

    # The certificate: the learner's name and the course, and a QR code to the public check.
    pdf = journey.download(page.get_by_role("link", name="Unduh sertifikat (PDF)"), tmp_path).read_bytes()
    text = " ".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())
    assert NAME in text and TITLE in text
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    image.save(journey.shots / "certificate.png")
    [verify_url] = [code.text for code in zxingcpp.read_barcodes(image)]
    assert verify_url.startswith(journey.url("/verify/"))

    # The verification page is public: whoever scans the code sees it without an account.
    with journey.stranger() as stranger:
        stranger.open(urlsplit(verify_url).path)
        sync_api.expect(stranger.page.locator(".verdict")).to_have_text("Sah")
        sync_api.expect(stranger.page.locator(".facts")).to_contain_text(NAME)
        sync_api.expect(stranger.page.locator(".facts")).to_contain_text(TITLE)

    # The hours count towards the year, on the home page and in the development record.
    journey.menu("Beranda")
    sync_api.expect(page.locator(".jp .jp-figure")).to_have_text(f"{JP} / 20 JP")
    sync_api.expect(page.locator("section", has_text="Kursus yang telah selesai")).to_contain_text(TITLE)
    journey.screenshot("learner-home")

    # The bell says a notification waits: the certificate (it opens the PDF, downloaded above).
    bell = page.get_by_role("link", name="Pemberitahuan: 1 belum dibaca")
    sync_api.expect(bell).to_have_text("1")
    journey.follow(bell)
    sync_api.expect(page.locator(".notifications .unread")).to_contain_text(f"Sertifikat diterbitkan: {TITLE}")
    journey.screenshot("notifications")
    journey.follow(page.get_by_role("button", name="Tandai semua sudah dibaca"))
    sync_api.expect(page.locator(".notifications .unread")).to_have_count(0)
    sync_api.expect(page.get_by_role("link", name="Pemberitahuan", exact=True)).to_be_visible()
    journey.menu("Riwayat saya")
    year = page.locator(".record-year").first
    sync_api.expect(year.locator(".jp-figure")).to_contain_text(f"{JP} / 20 JP")
    sync_api.expect(year.locator("tbody tr")).to_have_count(1)
    sync_api.expect(year.locator("tbody tr")).to_contain_text(TITLE)
