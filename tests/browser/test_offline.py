"""Learning on a weak connection, in real Chromium: the learner downloads a course, loses the
connection, reads and completes lessons, reloads, and comes back online; the database then
holds those completions once. The offline pages pass the same checks as every other page."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from elearn.extensions import db
from elearn.models import CheckAnswer, Lesson, LessonProgress, LoginSession, OfflineAction
from elearn.timeutil import utcnow
from tests.conftest import PASSWORD

COURSE = "/courses/etika-pelayanan"

QUEUE_JS = """() => new Promise((resolve, reject) => {
  const opening = indexedDB.open('elearn');
  opening.onsuccess = () => {
    const reading = opening.result.transaction('queue').objectStore('queue').getAll();
    reading.onsuccess = () => resolve(reading.result);
    reading.onerror = () => reject(reading.error);
  };
})"""

REQUEUE_JS = """(items) => new Promise((resolve) => {
  const opening = indexedDB.open('elearn');
  opening.onsuccess = () => {
    const writing = opening.result.transaction('queue', 'readwrite');
    items.forEach((item) => writing.objectStore('queue').put(item));
    writing.oncomplete = () => resolve(true);
  };
})"""


@pytest.fixture
def viewport():
    return "phone"


def download(journey):
    """From the course page: the size is shown before, the state after; the page is then
    reloaded so that the service worker controls it."""
    journey.open(COURSE)
    page = journey.page
    button = page.get_by_role("button", name="Unduh untuk dibaca offline")
    expect(button).to_contain_text("sekitar")
    button.click()
    expect(page.locator("[data-offline-state]")).to_contain_text("Sudah diunduh")
    expect(button).to_be_hidden()
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    journey.check()
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")


def completions(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(
            select(Lesson.slug, LessonProgress.id).join(Lesson).where(LessonProgress.completed_at.is_not(None))).all())


def test_a_downloaded_course_is_learned_offline_and_counted_once(app, enrolled):
    journey = enrolled
    page = journey.page
    download(journey)
    journey.screenshot("offline-download")
    journey.context.set_offline(True)

    state = page.locator("[data-net-state]")
    journey.follow(page.locator(".syllabus a").first)
    expect(page.get_by_text("Warga datang pukul 08.00").first).to_be_visible()
    expect(page.locator("img[alt='Alur layanan']")).to_have_js_property("complete", True)
    assert page.locator("img[alt='Alur layanan']").evaluate("(img) => img.naturalWidth") > 0
    # A knowledge check is kept to be checked by the server.
    page.get_by_label("Benar").check()
    page.get_by_role("button", name="Periksa jawaban saya").click()
    expect(page.locator(".check-feedback")).to_have_text(
        "Jawaban Anda disimpan di perangkat ini dan akan diperiksa saat Anda online kembali.")
    journey.follow("form[data-offline=complete] button")
    assert page.url.endswith(f"{COURSE}/lessons/bagian-2")
    journey.follow("form[data-offline=complete] button")
    assert page.url.endswith(COURSE)
    page.reload()
    journey.check()
    # Two visits, an answer and two lessons done wait in the queue; the syllabus shows them done.
    expect(state).to_have_text("5 belum terkirim")
    journey.follow(page.get_by_role("link", name="Pelajaran 1"))
    expect(page.locator(".syllabus li.done")).to_have_count(2)
    expect(state).to_have_text("6 belum terkirim")

    # What needs the server says so instead of a browser error.
    journey.open("/me/record")
    expect(page.get_by_role("heading", name="Anda sedang offline")).to_be_visible()
    expect(page.get_by_role("link", name="Etika Pelayanan di Kantor Kelurahan")).to_be_visible()
    journey.open(f"{COURSE}/quiz")
    expect(page.get_by_text("Kuis yang dinilai hanya dapat dikerjakan secara online")).to_be_visible()
    journey.screenshot("offline-notice")
    journey.open(f"{COURSE}/lessons/bagian-1")
    queued = page.evaluate(QUEUE_JS)
    assert [item["kind"] for item in queued] == ["view", "check", "complete", "view", "complete", "view", "view"]
    assert completions(app) == {}

    journey.context.set_offline(False)
    note = page.locator("[data-sync-note]")
    expect(note).to_contain_text("7 tindakan saat offline telah dikirim.")
    expect(state).to_have_text("Online")
    done = completions(app)
    assert set(done) == {"bagian-1", "bagian-2"}
    with app.app_context():
        assert db.session.query(OfflineAction).count() == 7
        assert db.session.scalar(select(CheckAnswer.fraction)) == 1

    # The same queue sent again changes nothing.
    page.evaluate(REQUEUE_JS, queued)
    page.evaluate("document.querySelector('[data-sync-note]').textContent = ''")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(note).to_contain_text("7 tindakan saat offline telah dikirim.")
    expect(state).to_have_text("Online")
    assert page.evaluate(QUEUE_JS) == []
    assert completions(app) == done
    with app.app_context():
        assert db.session.query(OfflineAction).count() == 7
        assert db.session.scalar(select(CheckAnswer.fraction)) == 1
        assert db.session.query(LessonProgress).count() == 2

    # The course page offers the quiz, marked as needing a connection while there is none.
    journey.open(COURSE)
    journey.context.set_offline(True)
    expect(page.locator(".online-only-hint")).to_have_text(" (perlu koneksi)")
    journey.context.set_offline(False)
    expect(page.locator(".online-only-hint")).to_be_hidden()


def test_a_session_that_ended_offline_asks_to_log_in_and_loses_nothing(app, enrolled):
    journey = enrolled
    page = journey.page
    download(journey)
    journey.context.set_offline(True)
    journey.follow(page.locator(".syllabus a").first)
    journey.follow("form[data-offline=complete] button")
    # Away longer than the idle limit: the server ended the session meanwhile.
    with app.app_context():
        db.session.execute(update(LoginSession).values(seen_at=utcnow() - timedelta(hours=2)))
        db.session.commit()

    journey.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    note = page.locator("[data-sync-note]")
    expect(note).to_contain_text("Sesi Anda telah berakhir: masuk lagi")
    assert len(page.evaluate(QUEUE_JS)) == 3 and completions(app) == {}
    journey.follow(note.get_by_role("link", name="Masuk"))
    page.fill("input[name=username]", "198503122010011002")
    page.fill("input[name=password]", PASSWORD)
    journey.follow("form button[type=submit]")
    assert page.url.endswith(f"{COURSE}/lessons/bagian-2")
    expect(note).to_contain_text("3 tindakan saat offline telah dikirim.")
    assert set(completions(app)) == {"bagian-1"}
    assert page.evaluate(QUEUE_JS) == []


def test_removing_a_download_and_logging_out_leave_nothing_to_read_offline(enrolled):
    journey = enrolled
    page = journey.page
    download(journey)
    page.get_by_role("button", name="Hapus unduhan").click()
    expect(page.locator("[data-offline-state]")).to_have_text("Unduhan telah dihapus dari perangkat ini.")
    assert not [name for name in page.evaluate("caches.keys()") if name.startswith("elearn-course-")]
    download(journey)
    journey.follow(page.get_by_role("button", name="Keluar"))
    assert not [name for name in page.evaluate("caches.keys()") if name.startswith("elearn-course-")]
    journey.context.set_offline(True)
    journey.open(f"{COURSE}/lessons/bagian-1")
    expect(page.get_by_role("heading", name="Anda sedang offline")).to_be_visible()
    expect(page.locator("[data-offline-downloads]")).to_be_hidden()


def test_chromium_finds_the_app_installable(journey, make_user):
    make_user(nip="198503122010011002")
    journey.login("198503122010011002")
    cdp = journey.context.new_cdp_session(journey.page)
    assert journey.page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    errors = [error["errorId"] for error in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # A test's browser context is a private window, where Chromium installs nothing: the only
    # reason allowed, as it is not the app's.
    assert errors in ([], ["in-incognito"])
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")
