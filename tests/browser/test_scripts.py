"""The pages' scripts in a real browser: knowledge checks answered without a reload, quiz
answers saved as one goes."""
import pytest
from playwright import sync_api

SLUG = "etika-pelayanan"


@pytest.fixture
def viewport():
    return "phone"


def test_a_knowledge_check_is_answered_without_leaving_the_page(enrolled):
    page = enrolled.page
    page.evaluate("window.notReloaded = true")
    check = page.locator("section.knowledge-check").first
    check.locator("input[value=false]").check()
    check.locator("button[type=submit]").click()
    feedback = check.locator(".check-feedback")
    sync_api.expect(feedback).to_contain_text("Belum tepat.")
    sync_api.expect(feedback).to_contain_text("Salah, keramahan itu standar.")
    assert page.evaluate("window.notReloaded") is True
    page.reload()
    enrolled.check()
    assert page.locator("section.knowledge-check input[value=false]").first.is_checked()


def test_quiz_answers_are_saved_as_the_learner_goes(enrolled):
    page = enrolled.page
    enrolled.open(f"/courses/{SLUG}/quiz")
    enrolled.follow("text=Mulai kuis")
    sync_api.expect(page.locator("[data-deadline]")).to_contain_text("Sisa waktu:")
    page.locator("label.choice", has_text="Berorientasi Pelayanan").locator("input").check()
    page.locator("input[name=q-jam-buka]").fill("8")
    sync_api.expect(page.locator("[data-save-status]")).to_have_text("Jawaban tersimpan.")
    page.reload()
    enrolled.check()
    assert page.locator("label.choice", has_text="Berorientasi Pelayanan").locator("input").is_checked()
    assert page.locator("input[name=q-jam-buka]").input_value() == "8"
    enrolled.follow("button[value=submit]")
    sync_api.expect(page.locator("h1")).to_have_text("Hasil percobaan 1")
    sync_api.expect(page.locator("main")).to_contain_text("Lulus")
