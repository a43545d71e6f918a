"""Essay answers wait for a trainer; grading them finishes the attempt and, when it passes,
completes the course once, through the same path as an automatically graded quiz."""
import threading

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import (
    AuditEvent,
    Certificate,
    Course,
    CourseTrainer,
    Enrolment,
    OutboxMessage,
    QuizAttempt,
    RecordEntry,
)
from tests.conftest import Auth
from tests.coursefiles import course_files
from tests.html import csrf_token

SLUG = "layanan-esai"
ESSAY_QUIZ = """---
title: Kuis Akhir
passing_score: 70
max_attempts: 3
---
```gift
::nilai:: Nilai dasar ASN yang menekankan layanan prima adalah... {
=Berorientasi Pelayanan#Tepat.
~Loyal
~Adaptif
}

::pengalaman:: Ceritakan pengalaman Anda melayani warga yang marah. {####Sebutkan situasi, tindakan, dan hasilnya.}
{second}```
"""
SECOND_ESSAY = "\n::refleksi:: Apa yang akan Anda ubah di meja layanan? {}\n"
GRADE_URL = "/trainer/grading/{attempt_id}/{key}"


def essay_course_files(slug: str = SLUG, essays: int = 1, lessons: int = 2) -> dict[str, bytes]:
    """A course whose quiz has one multiple-choice question and one or two essays."""
    files = course_files(slug, lessons=lessons)
    files["quiz.md"] = ESSAY_QUIZ.replace("{second}", SECOND_ESSAY if essays == 2 else "").encode()
    return files


def post(client, url, data=None, page=None):
    token = csrf_token(client.get(page or url))
    return client.post(url, data={**(data or {}), "csrf_token": token})


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def submit_quiz(client, slug: str = SLUG, lessons: int = 2, **essays: str):
    """The learner enrols, finishes the lessons and submits the quiz with the right choice."""
    post(client, f"/courses/{slug}/enroll", page=f"/courses/{slug}")
    for n in range(1, lessons + 1):
        lesson = f"/courses/{slug}/lessons/bagian-{n}"
        post(client, f"{lesson}/complete", page=lesson)
    post(client, f"/courses/{slug}/quiz", {"action": "start"})
    answers = {"q-nilai": "0", **{f"q-{key}": text for key, text in essays.items()}}
    form = {**answers, **{name + "-shown": "1" for name in answers}, "action": "submit"}
    return post(client, f"/courses/{slug}/quiz", form)


@pytest.fixture
def trainer(app, make_course, make_user):
    """The course, and the trainer who trains it."""
    make_course(SLUG, files=essay_course_files())
    trainer = make_user(roles=("trainer",), email="widyaiswara@pemko.example.go.id", name="Widyaiswara")
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).where(Course.slug == SLUG))
        db.session.add(CourseTrainer(course_id=course_id, user_id=trainer.id))
        db.session.commit()
    return trainer


@pytest.fixture
def learner_client(app, trainer, make_user):
    learner = make_user(nip="198503122010011002", name="Budi Santoso")
    client = app.test_client()
    Auth(client).login(learner.nip)
    return client


@pytest.fixture
def trainer_client(app, trainer):
    client = app.test_client()
    Auth(client).login(trainer.email)
    return client


@pytest.fixture
def pending(app, learner_client):
    """The learner's attempt, waiting for the essay's grade; its id."""
    submit_quiz(learner_client, pengalaman="Saya mendengarkan dulu, lalu menjelaskan prosedurnya.")
    with app.app_context():
        return db.session.scalar(select(QuizAttempt.id))


def grade(client, attempt_id, score, comment="", key="pengalaman"):
    url = GRADE_URL.format(attempt_id=attempt_id, key=key)
    return post(client, url + "?lang=en", {"score": score, "comment": comment}, page="/trainer/grading")


def test_the_learner_waits_and_the_trainer_sees_the_answer_in_the_queue(app, learner_client, trainer_client,
                                                                       pending):
    result = learner_client.get(f"/courses/{SLUG}/quiz/attempts/1?lang=en").get_data(as_text=True)
    assert "waiting for the trainer's grading" in result and "Waiting for grading" in result
    assert count(app, Certificate) == 0

    queue = trainer_client.get("/trainer/grading?lang=en").get_data(as_text=True)
    assert "Budi Santoso" in queue and "pengalaman" in queue
    assert GRADE_URL.format(attempt_id=pending, key="pengalaman") in queue
    assert "Budi Santoso" in trainer_client.get(f"/trainer/courses/{SLUG}/grading").get_data(as_text=True)
    page = trainer_client.get(GRADE_URL.format(attempt_id=pending, key="pengalaman") + "?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Saya mendengarkan dulu, lalu menjelaskan prosedurnya." in html and 'name="score"' in html


def test_grading_a_passing_essay_completes_the_course_once(app, learner_client, trainer_client, trainer,
                                                            pending):
    response = grade(trainer_client, pending, "40", "Situasinya jelas; <b>hasilnya</b> belum disebut.")
    assert response.status_code == 302 and response.headers["Location"] == f"/trainer/courses/{SLUG}/grading"
    with app.app_context():
        attempt = db.session.get(QuizAttempt, pending)
        # The same weighting as automatic grading: (1 + 0.4) / 2 questions.
        assert (attempt.status, attempt.score, attempt.passed) == ("submitted", 70.0, True)
        essay = attempt.grades["pengalaman"]
        assert (essay["fraction"], essay["pending"], essay["correct"]) == (0.4, False, False)
        assert essay["comment"] == "Situasinya jelas; <b>hasilnya</b> belum disebut."
        assert essay["graded_by"] == trainer.id and essay["graded_at"]
        enrolment = db.session.scalar(select(Enrolment))
        assert enrolment.completed_at is not None and enrolment.final_score == 70.0
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "essay.grade"))
        assert (event.actor_id, event.target_id) == (trainer.id, str(pending))
        assert event.details["question"] == "pengalaman" and event.details["course_completed"] is True
    assert count(app, Certificate) == 1 and count(app, RecordEntry) == 1 and count(app, OutboxMessage) == 1

    result = learner_client.get(f"/courses/{SLUG}/quiz/attempts/1?lang=en").get_data(as_text=True)
    assert "Passed" in result and "The trainer's comment" in result
    assert "Situasinya jelas; &lt;b&gt;hasilnya&lt;/b&gt; belum disebut." in result
    assert "Sebutkan situasi, tindakan, dan hasilnya." in result
    assert "Waiting for grading" not in result

    graded = trainer_client.get(GRADE_URL.format(attempt_id=pending, key="pengalaman") + "?lang=en")
    html = graded.get_data(as_text=True)
    assert "This answer has been graded." in html and "Score: 40%" in html and 'name="score"' not in html

    again = grade(trainer_client, pending, "100")
    assert again.status_code == 409 and "has been graded already" in again.get_data(as_text=True)
    assert count(app, Certificate) == 1 and count(app, RecordEntry) == 1 and count(app, OutboxMessage) == 1
    assert count(app, AuditEvent, AuditEvent.action == "essay.grade") == 1
    with app.app_context():
        assert db.session.get(QuizAttempt, pending).score == 70.0


def test_a_low_essay_grade_fails_the_attempt_and_the_learner_may_try_again(app, learner_client, trainer_client,
                                                                          pending):
    grade(trainer_client, pending, "20", "Belum menjawab pertanyaan.")
    with app.app_context():
        attempt = db.session.get(QuizAttempt, pending)
        assert (attempt.status, attempt.score, attempt.passed) == ("submitted", 60.0, False)
    assert count(app, Certificate) == 0
    result = learner_client.get(f"/courses/{SLUG}/quiz/attempts/1?lang=en").get_data(as_text=True)
    assert "Not passed" in result and "Try again" in result and "Belum menjawab pertanyaan." in result
    assert "Budi Santoso" not in trainer_client.get("/trainer/grading").get_data(as_text=True)


@pytest.mark.parametrize("score", ["150", "-5", "abc", "", "NaN", "Infinity", "100.5"])
def test_a_score_outside_0_to_100_is_refused_with_a_message(app, trainer_client, pending, score):
    response = grade(trainer_client, pending, score)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error"' in html and 'name="score"' in html
    with app.app_context():
        assert db.session.get(QuizAttempt, pending).status == "pending"
    assert count(app, AuditEvent, AuditEvent.action == "essay.grade") == 0


def test_a_decimal_score_and_no_comment_are_accepted(app, trainer_client, pending):
    assert grade(trainer_client, pending, "62.5").status_code == 302
    with app.app_context():
        essay = db.session.get(QuizAttempt, pending).grades["pengalaman"]
        assert (essay["fraction"], essay["comment"]) == (0.625, None)


def test_only_pending_essays_of_real_attempts_can_be_graded(app, trainer_client, pending):
    assert grade(trainer_client, pending, "50", key="nilai").status_code == 404
    assert grade(trainer_client, pending, "50", key="tidak-ada").status_code == 404
    assert grade(trainer_client, pending + 1000, "50").status_code == 404


def test_an_attempt_with_two_essays_waits_for_both(app, make_course, make_user, trainer, trainer_client):
    slug = "layanan-dua-esai"
    make_course(slug, files=essay_course_files(slug, essays=2))
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).where(Course.slug == slug))
        db.session.add(CourseTrainer(course_id=course_id, user_id=trainer.id))
        db.session.commit()
    learner = make_user(email="ani@pemko.example.go.id")
    client = app.test_client()
    Auth(client).login(learner.email)
    submit_quiz(client, slug, pengalaman="Jawaban pertama.", refleksi="Jawaban kedua.")
    with app.app_context():
        attempt_id = db.session.scalar(select(QuizAttempt.id))

    first = grade(trainer_client, attempt_id, "100")
    assert first.status_code == 302
    assert "still waits" in trainer_client.get(first.headers["Location"] + "?lang=en").get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert (attempt.status, attempt.score, attempt.passed) == ("pending", None, None)
    assert count(app, Certificate) == 0

    grade(trainer_client, attempt_id, "10", key="refleksi")
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert (attempt.status, attempt.score, attempt.passed) == ("submitted", 70.0, True)
    assert count(app, Certificate) == 1 and count(app, RecordEntry) == 1


def test_a_trainer_of_another_course_cannot_grade(app, make_user, pending):
    other = make_user(roles=("trainer",), email="lain@pemko.example.go.id")
    client = app.test_client()
    Auth(client).login(other.email)
    url = GRADE_URL.format(attempt_id=pending, key="pengalaman")
    assert client.get(url).status_code == 403
    assert grade(client, pending, "100").status_code == 403
    assert "Budi Santoso" not in client.get("/trainer/grading").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(QuizAttempt, pending).status == "pending"


def test_hr_may_grade(app, make_user, pending):
    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id")
    client = app.test_client()
    Auth(client).login(hr.email)
    assert "Budi Santoso" in client.get("/trainer/grading").get_data(as_text=True)
    assert grade(client, pending, "100").status_code == 302
    assert count(app, Certificate) == 1


def test_two_trainers_grading_at_once_complete_the_course_once(app, trainer_client, pending):
    url = GRADE_URL.format(attempt_id=pending, key="pengalaman")
    token = csrf_token(trainer_client.get(url))
    barrier = threading.Barrier(2)
    statuses = []

    def grade_now(score):
        barrier.wait()
        statuses.append(trainer_client.post(url, data={"score": score, "comment": "", "csrf_token": token})
                        .status_code)

    threads = [threading.Thread(target=grade_now, args=(score,)) for score in ("100", "90")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 409]
    assert count(app, Certificate) == 1 and count(app, RecordEntry) == 1 and count(app, OutboxMessage) == 1
    assert count(app, AuditEvent, AuditEvent.action == "essay.grade") == 1
    with app.app_context():
        assert db.session.get(QuizAttempt, pending).score in (100.0, 95.0)
