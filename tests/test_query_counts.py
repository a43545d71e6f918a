"""No page issues a query per row: the number of SQL statements of the learner's main pages
does not grow with the number of courses, lessons or enrolments (a count, not a time)."""
import random

import pytest
from sqlalchemy import event, select

from bench.seed import seed
from elearn.accounts.passwords import hash_password
from elearn.extensions import db
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import Certificate, Course, Enrolment, User
from elearn.timeutil import utcnow
from tests.conftest import PASSWORD, Auth, _empty_tables
from tests.coursefiles import course_files

NIP = "198503122010011002"


def statements(app, client, url) -> int:
    seen = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def learner_with(app, make_user, make_course, courses: int, lessons: int):
    """A learner enrolled in every one of ``courses`` courses of ``lessons`` lessons, one lesson
    done in each; returns a signed-in client."""
    user = make_user(nip=NIP, name="Budi Santoso")
    slugs = [make_course(f"kursus-{n}", files=course_files(f"kursus-{n}", lessons=lessons)) for n in range(courses)]
    with app.app_context():
        person = db.session.get(User, user.id)
        for slug in slugs:
            course = db.session.scalar(select(Course).where(Course.slug == slug))
            complete_lesson(enrol(person, course), course.active_lessons[0], utcnow())
        db.session.commit()
    client = app.test_client()
    Auth(client).login(NIP)
    return client


@pytest.mark.parametrize("url", ["/", "/courses", "/courses/kursus-0", "/courses/kursus-0/lessons/bagian-2",
                                 "/me/record"])
def test_the_main_pages_query_the_same_whatever_the_size(make_app, make_user, make_course, url):
    small = make_app()
    client = learner_with(small, make_user, make_course, courses=1, lessons=2)
    # A lesson's first view writes its progress row, and a worker's first sight of a course reads
    # its outline once (courses.outline); measure the views after them.
    client.get(url)
    few = statements(small, client, url)
    more_courses = [make_course(f"kursus-extra-{n}", files=course_files(f"kursus-extra-{n}", lessons=9))
                    for n in range(4)]
    with small.app_context():
        person = db.session.scalar(select(User).where(User.nip == NIP))
        for slug in more_courses:
            course = db.session.scalar(select(Course).where(Course.slug == slug))
            complete_lesson(enrol(person, course), course.active_lessons[0], utcnow())
        db.session.commit()
    client.get(url)
    assert statements(small, client, url) == few


LEARNER_PAGES = ["/", "/courses", "/courses/{course}", "/courses/{course}/lessons/{lesson}", "/me/record",
                 "/verify/{code}"]
HR_PAGES = ["/hr/", "/hr/reports/jp", "/hr/reports/completions", "/hr/reports/units", "/hr/reports/courses",
            "/hr/people/1/record"]


def seeded_counts(app, make_user, scale: float) -> dict[str, int]:
    """Statements per page in a city seeded as the benchmark seeds it, for ASN no. 1 and for HR."""
    with app.app_context():
        _empty_tables()
        seed(scale, random.Random(7))
        person = db.session.get(User, 1)
        person.password_hash = hash_password(PASSWORD)
        reading = db.session.scalar(select(Enrolment).where(Enrolment.user_id == 1, Enrolment.completed_at.is_(None)))
        values = {"course": reading.course.slug, "lesson": reading.course.active_lessons[1].slug,
                  "code": db.session.scalar(select(Certificate.code).limit(1))}
        nip = person.nip
        db.session.commit()
    make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id")
    counts = {}
    for login, pages in ((nip, LEARNER_PAGES), ("bkpsdm@pemko.example.go.id", HR_PAGES)):
        client = app.test_client()
        Auth(client).login(login)
        for page in pages:
            url = page.format(**values)
            client.get(url)  # first views write (progress) or read once (a course's outline)
            counts[page] = statements(app, client, url)
    return counts


def test_seeded_pages_query_the_same_at_twice_the_data(app, make_user):
    """Doubling the people, enrolments, progress, attempts and certificates adds no statement
    to any main page: none of them queries per row."""
    small = seeded_counts(app, make_user, 0.01)
    large = seeded_counts(app, make_user, 0.02)
    assert large == small
    assert max(small.values()) < 20, small
