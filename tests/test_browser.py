"""The pages' scripts in a real browser (Debian's Chromium), against the app served on
127.0.0.1: knowledge checks answered without a reload, quiz answers saved as one goes."""
import shutil
import threading

import pytest
from playwright import sync_api
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

# When the browser drops a connection while a static file is being sent (it navigates on),
# the development server leaves that file for the garbage collector: its warning, not ours.
pytestmark = [
    pytest.mark.filterwarnings(r"ignore:unclosed file .*/elearn/static/:ResourceWarning"),
    pytest.mark.filterwarnings(r"ignore:Exception ignored in.*/elearn/static/:pytest.PytestUnraisableExceptionWarning"),
]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SLUG = "etika-pelayanan"


@pytest.fixture
def server(app):
    """The app on a free port of 127.0.0.1, for as long as the test runs."""
    served = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{served.server_port}"
    served.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page(server, make_user, make_course):
    make_course()
    make_user(nip="198503122010011002", name="Budi Santoso")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.set_default_timeout(10_000)
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(server + "/login")
        page.fill("input[name=username]", "198503122010011002")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{server}/courses/{SLUG}")
        page.click("text=Ikuti kursus ini")
        yield page
        browser.close()
        assert errors == []


def test_a_knowledge_check_is_answered_without_leaving_the_page(page):
    page.evaluate("window.notReloaded = true")
    check = page.locator("section.knowledge-check").first
    check.locator("input[value=false]").check()
    check.locator("button[type=submit]").click()
    feedback = check.locator(".check-feedback")
    sync_api.expect(feedback).to_contain_text("Belum tepat.")
    sync_api.expect(feedback).to_contain_text("Salah, keramahan itu standar.")
    assert page.evaluate("window.notReloaded") is True
    page.reload()
    assert page.locator("section.knowledge-check input[value=false]").first.is_checked()


def test_quiz_answers_are_saved_as_the_learner_goes(page):
    page.goto(page.url.replace("/lessons/bagian-1", "/quiz"))
    page.click("text=Mulai kuis")
    sync_api.expect(page.locator("[data-deadline]")).to_contain_text("Sisa waktu:")
    page.locator("label.choice", has_text="Berorientasi Pelayanan").locator("input").check()
    page.locator("input[name=q-jam-buka]").fill("8")
    sync_api.expect(page.locator("[data-save-status]")).to_have_text("Jawaban tersimpan.")
    page.reload()
    assert page.locator("label.choice", has_text="Berorientasi Pelayanan").locator("input").is_checked()
    assert page.locator("input[name=q-jam-buka]").input_value() == "8"
    page.click("button[value=submit]")
    sync_api.expect(page.locator("h1")).to_have_text("Hasil percobaan 1")
    sync_api.expect(page.locator("main")).to_contain_text("Lulus")
