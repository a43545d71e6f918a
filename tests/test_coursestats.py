"""Course dashboards: figures that agree with the reports, drop-off per lesson, question
statistics checked against arithmetic done by hand, and who may open them."""
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from werkzeug.datastructures import MultiDict

from elearn.coursestats import figures
from elearn.coursestats.questions import (
    Response,
    discrimination,
    group_size,
    question_stats,
)
from elearn.extensions import db
from elearn.learn.attempts import start_attempt, submit_attempt
from elearn.learn.progress import complete_lesson, enrol, record_view
from elearn.models import Course, CourseTrainer, Lesson, User
from elearn.timeutil import utcnow
from tests.conftest import Auth

SLUG = "etika-pelayanan"
RIGHT = {"q-nilai": "0", "q-jam-buka": "8"}
HALF = {"q-nilai": "0", "q-jam-buka": "3"}
WRONG = {"q-nilai": "1", "q-jam-buka": "3"}

# --- Question statistics over plain data ----------------------------------------------------

# Ten learners' first attempts, best total first: (total, {question: fraction}).
TEN = [
    (95, {"mudah": 1, "sulit": 1, "pembeda": 1, "terbalik": 0}),
    (90, {"mudah": 1, "sulit": 1, "pembeda": 1, "terbalik": 0}),
    (85, {"mudah": 1, "sulit": 0, "pembeda": 1, "terbalik": 0}),
    (80, {"mudah": 1, "sulit": 0, "pembeda": 1, "terbalik": 0}),
    (70, {"mudah": 1, "sulit": 0, "pembeda": 0, "terbalik": 1}),
    (60, {"mudah": 1, "sulit": 0, "pembeda": 1, "terbalik": 1}),
    (50, {"mudah": 1, "sulit": 0, "pembeda": 0, "terbalik": 1}),
    (40, {"mudah": 1, "sulit": 0, "pembeda": 0, "terbalik": 1}),
    (30, {"mudah": 1, "sulit": 0, "pembeda": 0, "terbalik": 1}),
    (20, {"mudah": 1, "sulit": 0, "pembeda": 0.5, "terbalik": 1}),
]
KEYS = ["mudah", "sulit", "pembeda", "terbalik"]


def responses(rows):
    # Shuffled on purpose: the groups come from the totals, not from the order given.
    return [Response(total, fractions) for total, fractions in rows[1::2] + rows[::2]]


def test_groups_are_27_percent_rounded_half_up():
    assert [group_size(n) for n in (1, 2, 3, 4, 10, 11, 100)] == [0, 1, 1, 1, 3, 3, 27]


def test_question_statistics_match_the_hand_computed_values():
    stats = {s.key: s for s in question_stats(KEYS, responses(TEN))}
    # Upper group: totals 95, 90, 85; lower group: 40, 30, 20 (27% of 10 is 2.7: three each).
    mudah, sulit, pembeda, terbalik = (stats[key] for key in KEYS)
    assert (mudah.attempts, mudah.share_correct, mudah.mean_fraction, mudah.discrimination) == (10, 1.0, 1.0, 0.0)
    assert (sulit.share_correct, sulit.mean_fraction) == (0.2, 0.2)
    assert sulit.discrimination == pytest.approx(2 / 3 - 0)
    assert (pembeda.share_correct, pembeda.mean_fraction) == (0.5, pytest.approx(5.5 / 10))
    assert pembeda.discrimination == pytest.approx(3 / 3 - 0.5 / 3)
    assert (terbalik.share_correct, terbalik.discrimination) == (0.6, -1.0)

    assert [key for key in KEYS if stats[key].too_easy] == ["mudah"]
    assert [key for key in KEYS if stats[key].too_hard] == ["sulit"]
    # Everyone right leaves nothing to discriminate: "too easy" says it already.
    assert [key for key in KEYS if stats[key].misleads_good_learners] == ["terbalik"]


def test_too_few_attempts_are_not_flagged_for_discrimination():
    nine = question_stats(KEYS, responses(TEN[:9]))
    terbalik = nine[KEYS.index("terbalik")]
    assert terbalik.attempts == 9 and terbalik.discrimination == pytest.approx(0 - 3 / 3)
    assert not terbalik.misleads_good_learners


def test_a_question_nobody_answered_has_no_statistics():
    only = question_stats(["baru"], [Response(100, {"lama": 1.0})])[0]
    assert (only.attempts, only.share_correct, only.discrimination, only.too_easy, only.too_hard) == (
        0, None, None, False, False)
    assert discrimination([(100, 1.0)]) is None


# --- A course with five learners --------------------------------------------------------------


@pytest.fixture
def people(make_user):
    return {
        "trainer": make_user(roles=("trainer",), email="widyaiswara@pemko.example.go.id"),
        "other_trainer": make_user(roles=("trainer",), email="lain@pemko.example.go.id"),
        "hr": make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id"),
        "admin": make_user(roles=("admin",), email="admin@pemko.example.go.id"),
        "learner": make_user(email="peserta@pemko.example.go.id"),
    }


def _take_quiz(enrolment, answers, now):
    attempt = start_attempt(enrolment, now)
    submit_attempt(attempt, MultiDict({**answers, **{name + "-shown": "1" for name in answers}}), now)


def _learner(app, make_user, name, opened=(), completed=(), quizzes=(), open_quiz=False):
    """A learner who opens lessons (1 = the first; each after some minutes), completes some of them,
    and takes quizzes a minute apart."""
    user = make_user(name=name)
    now = utcnow() - timedelta(days=1)
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        lessons = dict(enumerate(course.active_lessons, 1))
        enrolment = enrol(db.session.get(User, user.id), course)
        for position, minutes in opened:
            now += timedelta(minutes=minutes)
            action = complete_lesson if position in completed else record_view
            action(enrolment, lessons[position], now)
        for answers in quizzes:
            now += timedelta(minutes=1)
            _take_quiz(enrolment, answers, now)
        if open_quiz:
            start_attempt(enrolment, now)
        db.session.commit()
    return user


@pytest.fixture
def cohort(app, make_course, make_user, people):
    make_course(SLUG, lessons=3)
    make_course("kursus-lain", lessons=1)
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).where(Course.slug == SLUG))
        other_id = db.session.scalar(select(Course.id).where(Course.slug == "kursus-lain"))
        db.session.add_all([CourseTrainer(course_id=course_id, user_id=people["trainer"].id),
                            CourseTrainer(course_id=other_id, user_id=people["other_trainer"].id)])
        db.session.commit()
    # Ani: 5 minutes on lesson 1 and 3 on lesson 2 are credited when she moves on.
    _learner(app, make_user, "Ani", opened=[(1, 0), (2, 5), (3, 3)], completed={1, 2, 3}, quizzes=[RIGHT])
    _learner(app, make_user, "Budi", opened=[(1, 0), (2, 4)], completed={1}, quizzes=[HALF])
    _learner(app, make_user, "Citra", opened=[(1, 0)], quizzes=[WRONG, RIGHT])
    _learner(app, make_user, "Dedi")
    _learner(app, make_user, "Eka", opened=[(1, 0), (2, 2), (3, 2)], completed={1, 2}, open_quiz=True)
    return people


def _client(app, user):
    client = app.test_client()
    assert Auth(client).login(user.email).status_code == 302
    return client


def test_course_figures_come_from_the_report_definitions(app, cohort):
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        stats = figures.course_figures(course)
    assert (stats.enrolled, stats.in_progress, stats.completed) == (5, 3, 1)
    assert stats.completion_rate == pytest.approx(20.0)
    assert stats.average_score == 100.0
    assert stats.average_minutes == pytest.approx(8.0)


def test_drop_off_counts_who_reached_each_lesson_and_who_stopped_there(app, cohort):
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        rows = [(row.lesson.slug, row.reached, row.stopped) for row in figures.drop_off(course)]
    # Reached: Ani, Budi, Citra, Eka; Ani, Budi, Eka; Ani, Eka. Stopped (furthest lesson
    # opened, course not completed): Citra at 1, Budi at 2, Eka at 3. Dedi opened nothing.
    assert rows == [("bagian-1", 4, 1), ("bagian-2", 3, 1), ("bagian-3", 2, 1)]


def test_a_retired_lesson_leaves_the_drop_off(app, cohort):
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).join(Course).where(Course.slug == SLUG, Lesson.slug == "bagian-3"))
        lesson.retired = True
        db.session.commit()
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        rows = [(row.lesson.slug, row.reached, row.stopped) for row in figures.drop_off(course)]
    # Eka's furthest lesson still shown is now lesson 2.
    assert rows == [("bagian-1", 4, 1), ("bagian-2", 3, 2)]


def test_questions_are_analysed_over_each_learners_first_graded_attempt(app, cohort):
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        rows = {row.question["key"]: row.stats for row in figures.question_analysis(course)}
    # First graded attempts: Ani 100 (both right), Budi 50 (nilai only), Citra 0. Citra's second
    # try and Eka's open attempt are left out. Groups of one: Ani above, Citra below.
    nilai, jam = rows["nilai"], rows["jam-buka"]
    assert (nilai.attempts, nilai.share_correct, nilai.discrimination) == (3, pytest.approx(2 / 3), 1.0)
    assert (jam.attempts, jam.share_correct, jam.mean_fraction, jam.discrimination) == (
        3, pytest.approx(1 / 3), pytest.approx(1 / 3), 1.0)


def test_the_dashboard_shows_figures_drop_off_questions_and_the_grid(app, cohort):
    html = _client(app, cohort["trainer"]).get(f"/trainer/courses/{SLUG}?lang=en").get_data(as_text=True)
    assert "<title>Learners who opened each lesson</title>" in html
    assert "<title>Learners who stopped at each lesson</title>" in html
    assert '<th scope="row">1. Pelajaran 1</th><td>4</td><td>1</td>' in html
    assert '<th scope="row">3. Pelajaran 3</th><td>2</td><td>1</td>' in html
    assert "<strong>20%</strong> <span>completion rate</span>" in html
    assert "nilai" in html and "jam-buka" in html
    ani = html.split("Ani<br>")[1].split("</tr>")[0]
    assert ani.count("✓") == 3 and "completed" in ani
    eka = html.split("Eka<br>")[1].split("</tr>")[0]
    assert eka.count("✓") == 2 and eka.count("○") == 1 and "2 of 3 lessons" in eka


def test_the_learner_grid_is_paged_and_its_pager_stays_on_the_course(app, cohort, monkeypatch):
    monkeypatch.setattr(figures, "LEARNERS_PER_PAGE", 2)
    html = _client(app, cohort["hr"]).get(f"/trainer/courses/{SLUG}?page=2&lang=en").get_data(as_text=True)
    assert "Citra<br>" in html and "Dedi<br>" in html and "Ani<br>" not in html
    assert f'href="/trainer/courses/{SLUG}?page=3' in html and f'href="/trainer/courses/{SLUG}?page=1' in html


def test_the_dashboard_costs_the_same_queries_whatever_the_number_of_learners(app, cohort, make_user):
    client = _client(app, cohort["trainer"])
    with app.app_context():
        engine = db.engine

    def statements() -> int:
        seen = []

        def listener(connection, cursor, statement, *args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/trainer/courses/{SLUG}").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    statements()  # the worker keeps the trainer's account from here on
    before = statements()
    for name in ("Fajar", "Gita", "Hadi"):
        _learner(app, make_user, name, opened=[(1, 0), (2, 3)], completed={1}, quizzes=[HALF])
    assert statements() == before


def test_the_course_list_shows_each_user_the_courses_they_may_see(app, cohort):
    mine = _client(app, cohort["trainer"]).get("/trainer/courses?lang=en").get_data(as_text=True)
    assert f"/trainer/courses/{SLUG}" in mine and "/trainer/courses/kursus-lain" not in mine
    row = mine.split(f'href="/trainer/courses/{SLUG}"')[1].split("</tr>")[0]
    assert "<td>5</td><td>1</td><td>20%</td>" in row.replace("\n", "").replace("    ", "")
    everything = _client(app, cohort["hr"]).get("/trainer/courses").get_data(as_text=True)
    assert f"/trainer/courses/{SLUG}" in everything and "/trainer/courses/kursus-lain" in everything


@pytest.mark.parametrize("who, allowed", [
    ("trainer", True), ("hr", True), ("admin", True), ("other_trainer", False), ("learner", False),
])
def test_only_the_courses_trainers_hr_and_admins_open_its_dashboard(app, cohort, who, allowed):
    client = _client(app, cohort[who])
    for url in (f"/trainer/courses/{SLUG}", f"/trainer/courses/{SLUG}/grading"):
        assert client.get(url).status_code == (200 if allowed else 403), url
    for url in ("/trainer/courses", "/trainer/grading"):
        assert client.get(url).status_code == (403 if who == "learner" else 200), url


def test_an_unknown_course_is_not_found(app, cohort):
    assert _client(app, cohort["hr"]).get("/trainer/courses/tidak-ada").status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", "-1", "abc", "9999"])
def test_any_page_number_shows_a_page(app, cohort, page):
    client = _client(app, cohort["hr"])
    for url in (f"/trainer/courses/{SLUG}", "/trainer/grading", f"/trainer/courses/{SLUG}/grading"):
        assert client.get(f"{url}?page={page}").status_code == 200, url
