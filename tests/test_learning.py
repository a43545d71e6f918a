"""A learner's journey through the real app: catalogue, enrolment, lessons, checks, quiz,
completion, certificate and its public verification."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learn.progress import VIEW_CAP, record_view
from elearn.models import (
    AuditEvent,
    Certificate,
    CheckAnswer,
    Enrolment,
    Lesson,
    LessonProgress,
    OutboxMessage,
    QuizAttempt,
    RecordEntry,
)
from elearn.timeutil import utcnow
from tests.conftest import Auth
from tests.coursefiles import course_files
from tests.html import csrf_token

SLUG = "etika-pelayanan"
RIGHT = {"q-nilai": "0", "q-jam-buka": "8"}
WRONG = {"q-nilai": "1", "q-jam-buka": "3"}


@pytest.fixture
def learner(auth, make_user, make_course):
    make_course()
    user = make_user(nip="198503122010011002", name="Budi Santoso", birth_place="Pematangsiantar",
                     position="Perawat Ahli Pertama", rank="III/b")
    auth.login(user.nip)
    return user


def post(client, url, data=None, page=None, **kwargs):
    token = csrf_token(client.get(page or url))
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def enrol(client):
    return post(client, f"/courses/{SLUG}/enroll", page=f"/courses/{SLUG}")


def answers(values):
    data = {}
    for name, value in values.items():
        data[name] = value
        data[name + "-shown"] = "1"
    return data


def finish_lessons(client):
    for lesson in ("bagian-1", "bagian-2"):
        post(client, f"/courses/{SLUG}/lessons/{lesson}/complete", page=f"/courses/{SLUG}/lessons/{lesson}")


def quiz_attempt(client, values, action="submit"):
    post(client, f"/courses/{SLUG}/quiz", {"action": "start"})
    return post(client, f"/courses/{SLUG}/quiz", {**answers(values), "action": action})


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_catalogue_lists_courses_with_search_and_filter(client, learner):
    html = client.get("/courses").get_data(as_text=True)
    assert "Etika Pelayanan di Kantor Kelurahan" in html and "1 JP" in html and "Belum dimulai" in html
    assert "Etika Pelayanan" in client.get("/courses?q=kelurahan").get_data(as_text=True)
    assert "Etika Pelayanan" not in client.get("/courses?q=tidak-ada").get_data(as_text=True)
    assert "Etika Pelayanan" not in client.get("/courses?competency=teknis").get_data(as_text=True)
    assert "Etika Pelayanan" in client.get("/courses?competency=sosial-kultural").get_data(as_text=True)


def test_enrolment_is_idempotent_and_opens_the_first_lesson(app, client, learner):
    html = client.get(f"/courses/{SLUG}").get_data(as_text=True)
    assert "Pelajaran 1" in html and "15 mnt" in html and "Ikuti kursus ini" in html
    first = enrol(client)
    assert first.headers["Location"] == f"/courses/{SLUG}/lessons/bagian-1"
    enrol(client)
    assert count(app, Enrolment) == 1


def test_lessons_are_for_enrolled_learners_only(client, learner):
    response = client.get(f"/courses/{SLUG}/lessons/bagian-1")
    assert response.headers["Location"] == f"/courses/{SLUG}"
    enrol(client)
    assert client.get(f"/courses/{SLUG}/lessons/tidak-ada").status_code == 404
    assert client.get("/courses/tidak-ada/lessons/bagian-1").status_code == 404


def test_lesson_page_marks_progress_and_resumes(client, learner):
    enrol(client)
    page = client.get(f"/courses/{SLUG}/lessons/bagian-1").get_data(as_text=True)
    assert "Pelajaran 1 dari 2" in page and "Selesai, lanjut" in page
    done = post(client, f"/courses/{SLUG}/lessons/bagian-1/complete", page=f"/courses/{SLUG}/lessons/bagian-1")
    assert done.headers["Location"] == f"/courses/{SLUG}/lessons/bagian-2"
    course = client.get(f"/courses/{SLUG}").get_data(as_text=True)
    assert f'href="/courses/{SLUG}/lessons/bagian-2">Lanjutkan' in course.replace("\n", "")
    home = client.get("/").get_data(as_text=True)
    assert "50%" in home and f"/courses/{SLUG}/lessons/bagian-2" in home


def test_time_on_a_lesson_is_capped_per_view(app, client, learner):
    enrol(client)
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
        first, second = db.session.scalars(select(Lesson).order_by(Lesson.position)).all()
        start = utcnow()
        record_view(enrolment, first, start)
        record_view(enrolment, second, start + timedelta(minutes=4))
        record_view(enrolment, first, start + timedelta(hours=9))
        rows = {row.lesson_id: row.active_seconds for row in enrolment.progress}
        assert rows[first.id] == 240
        assert rows[second.id] == VIEW_CAP.total_seconds()


def test_knowledge_check_hides_the_answer_until_answered_then_remembers(app, client, learner):
    enrol(client)
    url = f"/courses/{SLUG}/lessons/bagian-1"
    page = client.get(url).get_data(as_text=True)
    assert "Apakah petugas wajib tersenyum?" in page
    assert "keramahan itu standar" not in page and 'value="true"' in page

    check = f"{url}/checks/cek-1"
    wrong = post(client, check, {"answer": "false"}, page=url)
    assert wrong.headers["Location"] == url + "#check-cek-1"
    page = client.get(url).get_data(as_text=True)
    assert "Salah, keramahan itu standar." in page and 'value="false" checked' in page
    assert '<p class="verdict wrong">Belum tepat.</p>' in page

    json = post(client, check, {"answer": "true"}, page=url, headers={"Accept": "application/json"})
    assert json.get_json() == {"correct": True, "verdict": "right", "fraction": 1.0,
                               "feedback_html": ["<p>Benar.</p>"]}
    tampered = post(client, check, {"answer": "mungkin"}, page=url, headers={"Accept": "application/json"})
    assert tampered.status_code == 400 and "error" in tampered.get_json()
    assert count(app, CheckAnswer) == 1


def test_quiz_page_never_contains_the_answers(client, learner):
    enrol(client)
    post(client, f"/courses/{SLUG}/quiz", {"action": "start"})
    html = client.get(f"/courses/{SLUG}/quiz").get_data(as_text=True)
    assert "Berorientasi Pelayanan" in html and "Loyal" in html
    for secret in ("Tepat.", "fraction", "100", "#8"):
        assert secret not in html, secret


def test_full_journey_fail_then_pass_completes_once(app, client, learner):
    enrol(client)
    finish_lessons(client)
    failed = quiz_attempt(client, WRONG)
    assert failed.headers["Location"] == f"/courses/{SLUG}/quiz/attempts/1"
    result = client.get(failed.headers["Location"]).get_data(as_text=True)
    assert "Tidak lulus" in result and "Coba lagi" in result
    assert count(app, Certificate) == 0

    passed = quiz_attempt(client, RIGHT)
    result = client.get(passed.headers["Location"]).get_data(as_text=True)
    assert "Lulus" in result and "Tepat." in result
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
        assert enrolment.completed_at is not None and enrolment.final_score == 100
        certificate = db.session.scalar(select(Certificate))
        assert certificate.number == f"0001/ELEARN/{certificate.year}" and len(certificate.code) == 32
        entry = db.session.scalar(select(RecordEntry))
        assert (entry.jp, entry.year, entry.training_type) == (1.0, certificate.year, 16)
        assert db.session.scalar(select(OutboxMessage.kind)) == "course.completed"
    home = client.get("/").get_data(as_text=True)
    assert "1 / 20 JP" in home.replace("<strong>", "").replace("</strong>", "")
    assert f"/certificates/{certificate.id}.pdf" in home

    # Nothing more happens on later clicks.
    post(client, f"/courses/{SLUG}/lessons/bagian-2/complete", page=f"/courses/{SLUG}/lessons/bagian-2")
    assert count(app, Certificate) == 1 and count(app, RecordEntry) == 1 and count(app, OutboxMessage) == 1


def test_quiz_before_lessons_completes_when_the_last_lesson_is_done(app, client, learner):
    enrol(client)
    quiz_attempt(client, RIGHT)
    assert count(app, Certificate) == 0
    finish_lessons(client)
    assert count(app, Certificate) == 1


def test_attempt_limit_is_enforced(app, client, learner):
    enrol(client)
    for _ in range(3):
        quiz_attempt(client, WRONG)
    refused = post(client, f"/courses/{SLUG}/quiz", {"action": "start"})
    assert refused.headers["Location"] == f"/courses/{SLUG}/quiz"
    assert "Anda telah memakai semua kesempatan" in client.get(f"/courses/{SLUG}/quiz").get_data(as_text=True)
    assert count(app, QuizAttempt) == 3


def test_late_submission_is_graded_on_what_was_saved_in_time(app, client, learner):
    enrol(client)
    quiz_attempt(client, {"q-nilai": "0"}, action="save")
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        attempt.deadline = utcnow() - timedelta(minutes=5)
        db.session.commit()
    post(client, f"/courses/{SLUG}/quiz", {**answers(RIGHT), "action": "submit"}, page=f"/courses/{SLUG}")
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        assert attempt.status == "submitted" and attempt.score == 50
        assert attempt.answers == {"nilai": 0}


def test_a_saved_number_is_shown_as_the_learner_wrote_it(client, learner):
    enrol(client)
    quiz_attempt(client, {"q-jam-buka": "7,5"}, action="save")
    assert 'name="q-jam-buka" value="7,5"' in client.get(f"/courses/{SLUG}/quiz").get_data(as_text=True)


def test_a_replayed_submit_grades_once(app, client, learner):
    enrol(client)
    post(client, f"/courses/{SLUG}/quiz", {"action": "start"})
    token = csrf_token(client.get(f"/courses/{SLUG}/quiz"))
    form = {**answers(WRONG), "action": "submit", "csrf_token": token}
    first = client.post(f"/courses/{SLUG}/quiz", data=form)
    second = client.post(f"/courses/{SLUG}/quiz", data={**form, **answers(RIGHT)})
    assert first.headers["Location"] == second.headers["Location"] == f"/courses/{SLUG}/quiz/attempts/1"
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        assert attempt.score == 0 and count(app, QuizAttempt) == 1


@pytest.mark.parametrize(
    "tampered",
    [{"q-nilai": "99"}, {"q-nilai": ["0", "1"]}, {"q-jam-buka": "delapan"}, {"q-jam-buka": "1" * 5000},
     {"q-tidak-ada": "1"}],
)
def test_tampered_answers_are_refused_cleanly(app, client, learner, tampered):
    enrol(client)
    post(client, f"/courses/{SLUG}/quiz", {"action": "start"})
    response = post(client, f"/courses/{SLUG}/quiz", {**answers(tampered), "action": "save"},
                    page=f"/courses/{SLUG}/quiz", headers={"Accept": "application/json"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["saved"] is True
    if "q-tidak-ada" not in tampered:
        assert list(body["errors"]) == [next(iter(tampered))[2:]]
    with app.app_context():
        assert db.session.scalar(select(QuizAttempt)).answers == {}


def test_another_learner_cannot_see_attempts_or_certificates(app, client, learner, make_user):
    enrol(client)
    finish_lessons(client)
    quiz_attempt(client, RIGHT)
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
    other = make_user(email="lain@pemko.example.go.id")
    other_client = app.test_client()
    Auth(other_client).login(other.email)
    assert other_client.get(f"/certificates/{certificate.id}.pdf").status_code == 404
    assert other_client.get(f"/certificates/{certificate.number}.pdf").status_code == 404
    assert other_client.get(f"/courses/{SLUG}/quiz/attempts/1").headers["Location"] == f"/courses/{SLUG}"
    post(other_client, f"/courses/{SLUG}/enroll", page=f"/courses/{SLUG}")
    assert other_client.get(f"/courses/{SLUG}/quiz/attempts/1").status_code == 404


def test_certificate_pdf_and_public_verification_and_revocation(app, client, learner, make_user):
    from io import BytesIO

    from pypdf import PdfReader

    enrol(client)
    finish_lessons(client)
    quiz_attempt(client, RIGHT)
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert "Budi Santoso" in text and "198503122010011002" in text and certificate.number in text
    assert client.get(f"/certificates/{certificate.number}.pdf").status_code == 200

    anonymous = app.test_client()
    page = anonymous.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Sah" in page and "Budi Santoso" in page and "1985••••••••••1002" in page
    assert "198503122010011002" not in page
    missing = anonymous.get("/verify/" + "0" * 32)
    assert missing.status_code == 404 and "Budi" not in missing.get_data(as_text=True)

    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id")
    hr_client = app.test_client()
    Auth(hr_client).login(hr.email)
    post(hr_client, f"/hr/certificates/{certificate.id}/revoke", {"reason": "Data peserta keliru"},
         page=f"/hr/certificates?q={certificate.number}")
    assert "DICABUT" in anonymous.get(f"/verify/{certificate.code}").get_data(as_text=True)
    # Its JP leave the development record.
    assert count(app, RecordEntry) == 0
    assert count(app, AuditEvent, AuditEvent.action == "certificate.revoke") == 1


def test_concurrent_double_submit_issues_one_certificate(app, learner, client):
    enrol(client)
    finish_lessons(client)
    post(client, f"/courses/{SLUG}/quiz", {"action": "start"})
    token = csrf_token(client.get(f"/courses/{SLUG}/quiz"))
    form = {**answers(RIGHT), "action": "submit", "csrf_token": token}
    barrier = threading.Barrier(2)
    statuses = []

    def submit():
        barrier.wait()
        statuses.append(client.post(f"/courses/{SLUG}/quiz", data=form).status_code)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert count(app, Certificate) == 1 and count(app, RecordEntry) == 1 and count(app, OutboxMessage) == 1
    assert count(app, QuizAttempt) == 1 and count(app, LessonProgress) == 2


def test_a_lesson_opened_in_two_tabs_at_once_keeps_one_progress_row(app, client, learner):
    enrol(client)
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
        lesson = db.session.scalar(select(Lesson).order_by(Lesson.position))
        assert enrolment.progress == []
        # The other tab's request commits its row between our read and our write.
        with db.engine.connect() as other:
            other.execute(LessonProgress.__table__.insert().values(
                enrolment_id=enrolment.id, lesson_id=lesson.id, first_opened_at=utcnow(), active_seconds=0))
            other.commit()
        row = record_view(enrolment, lesson, utcnow())
        db.session.commit()
        assert row.id is not None and count(app, LessonProgress) == 1


def test_home_and_catalogue_follow_a_reimport_that_changes_the_lessons(client, learner, make_course):
    """The outline each worker keeps of a course follows the course: a lesson added by a new
    import shows at once in the progress and the minutes, though the pages were seen before."""
    enrol(client)
    post(client, f"/courses/{SLUG}/lessons/bagian-1/complete", page=f"/courses/{SLUG}/lessons/bagian-1")
    assert "50%" in client.get("/").get_data(as_text=True)
    assert "sekitar 30 menit" in client.get("/courses").get_data(as_text=True)
    make_course(SLUG, files=course_files(SLUG, lessons=4))
    home = client.get("/").get_data(as_text=True)
    assert "25%" in home and f"/courses/{SLUG}/lessons/bagian-2" in home
    assert "sekitar 60 menit" in client.get("/courses").get_data(as_text=True)
