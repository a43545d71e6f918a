"""A trainer improves a course on the web: edits a lesson while its preview follows the typing,
breaks the quiz and sees where, mends it, publishes, and looks at how the learners do."""
from playwright import sync_api
from sqlalchemy import select

from elearn.extensions import db
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import Course, CourseTrainer, User
from elearn.timeutil import utcnow
from tests.coursefiles import BROKEN_QUIZ, BROKEN_QUIZ_LINE

SLUG = "etika-pelayanan"
TITLE = "Etika Pelayanan di Kantor Kelurahan"
TRAINER = "widyaiswara@pemko.example.go.id"
LEARNER_NIP = "199001012015031001"

LESSON = """---
title: Menyapa Warga
minutes: 15
---
## Salam pertama

Sapa warga dengan **senyum** sebelum bertanya keperluannya.
"""


def one_learner_half_way(app) -> None:
    """Someone has already read the first lesson, so that the dashboard has a learner to show."""
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        learner = db.session.scalar(select(User).where(User.nip == LEARNER_NIP))
        enrolment = enrol(learner, course)
        complete_lesson(enrolment, course.active_lessons[0], utcnow())
        db.session.commit()


def test_trainer_journey(journey, app, make_course, make_user):
    make_course()
    trainer = make_user(roles=("trainer",), email=TRAINER, name="Dewi Lestari")
    make_user(nip=LEARNER_NIP, name="Rudi Hartono")
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        db.session.add(CourseTrainer(course_id=course.id, user_id=trainer.id))
        db.session.commit()
    one_learner_half_way(app)
    page = journey.page

    journey.login(TRAINER)
    journey.menu("Penyusunan kursus")
    journey.follow(page.get_by_role("link", name=TITLE))
    journey.follow(page.get_by_role("button", name="Sunting di web"))
    sync_api.expect(page.locator("#problems h2")).to_have_text("Siap diterbitkan")

    # The lesson: the preview follows the typing, before anything is saved.
    journey.follow(page.locator("#lessons").get_by_role("link", name="01-bagian-1.md"))
    editor = page.get_by_label("Teks 01-bagian-1.md")
    editor.fill(LESSON)
    preview = page.locator("[data-preview]")
    sync_api.expect(preview.locator("h2")).to_have_text("Salam pertama")
    sync_api.expect(preview.locator("strong")).to_have_text("senyum")
    journey.screenshot("authoring")
    journey.follow(page.get_by_role("button", name="Simpan", exact=True))
    sync_api.expect(page.locator(".flash")).to_contain_text("Tersimpan.")
    sync_api.expect(editor).to_have_value(LESSON)

    # The quiz, broken: the preview names the line, and so does the page once saved.
    journey.follow(page.get_by_role("navigation", name="Berkas").get_by_role("link", name="quiz.md"))
    editor = page.get_by_label("Teks quiz.md")
    editor.fill(BROKEN_QUIZ)
    problems = page.locator("[data-problems]")
    sync_api.expect(problems).to_contain_text(f"quiz.md:{BROKEN_QUIZ_LINE}:")
    journey.follow(page.get_by_role("button", name="Simpan", exact=True))
    sync_api.expect(problems).to_contain_text(f"quiz.md:{BROKEN_QUIZ_LINE}:")
    journey.follow(page.get_by_role("link", name=SLUG).first)
    sync_api.expect(page.locator("#problems")).to_contain_text(f"quiz.md:{BROKEN_QUIZ_LINE}")
    journey.follow(page.get_by_role("button", name="Terbitkan"))
    sync_api.expect(page.locator(".flash")).to_contain_text("tidak diterbitkan")

    # Mended from the link the problem gives, the draft is published as the course's second version.
    journey.follow(page.locator("#problems").get_by_role("link", name=f"quiz.md:{BROKEN_QUIZ_LINE}"))
    editor = page.get_by_label("Teks quiz.md")
    editor.fill(BROKEN_QUIZ.replace("~Pejabat\n", "~Pejabat}\n"))
    sync_api.expect(problems.locator("li")).to_have_count(0)
    journey.follow(page.get_by_role("button", name="Simpan", exact=True))
    journey.follow(page.get_by_role("link", name=SLUG).first)
    sync_api.expect(page.locator("#problems h2")).to_have_text("Siap diterbitkan")
    journey.follow(page.get_by_role("button", name="Terbitkan"))
    sync_api.expect(page.locator(".flash")).to_contain_text("Diterbitkan sebagai versi 2.")

    # What learners now see, and how they are doing.
    journey.follow(page.get_by_role("link", name="Buka sebagai peserta"))
    sync_api.expect(page.locator(".syllabus").first).to_contain_text("Menyapa Warga")
    journey.menu("Dasbor kursus")
    journey.follow(page.get_by_role("link", name=TITLE))
    sync_api.expect(page.locator("h1")).to_have_text(TITLE)
    figures = page.locator(".figures")
    sync_api.expect(figures.locator("li").nth(0)).to_have_text("1 terdaftar")
    sync_api.expect(figures.locator("li").nth(1)).to_have_text("1 sedang berjalan")
