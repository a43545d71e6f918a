"""No page issues a query per row: the number of SQL statements of the learner's main pages
does not grow with the number of courses, lessons or enrolments (a count, not a time)."""
import pytest
from sqlalchemy import event, select

from elearn.extensions import db
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import Course, User
from elearn.timeutil import utcnow
from tests.conftest import Auth
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
