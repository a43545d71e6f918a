"""Fixtures for the security tests: the one-learner world of tests/test_access.py (its
``sample`` fixture), people who must not reach it, and a way to see that nothing changed."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.authoring import operations
from elearn.extensions import db
from elearn.models import Course, CourseTrainer, Enrolment, User
from tests.conftest import PASSWORD, Auth
from tests.html import csrf_token
from tests.test_access import sample  # noqa: F401  (re-exported fixture)


def signed_in(app, user):
    """A fresh browser signed in as ``user``."""
    client = app.test_client()
    assert Auth(client).login(user.email or user.nip, PASSWORD).status_code == 302
    return client


def token_of(client, path: str = "/") -> str:
    return csrf_token(client.get(path))


def snapshot(app) -> dict[str, list[str]]:
    """Every row of every table, as text: two snapshots are equal when nothing was written."""
    with app.app_context():
        db.session.remove()
        tables = {}
        with db.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                rows = connection.execute(select(table)).all()
                tables[table.name] = sorted(repr(tuple(row)) for row in rows)
        return tables


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


@pytest.fixture
def world(app, sample, make_user, make_course):  # noqa: F811
    """The sample (everything belongs to its target learner), plus: the trainer who owns both
    courses with an open draft of one, a trainer of no course, another learner, HR and admin."""
    owner = make_user(roles=("trainer",), email="owner@pemko.example.go.id")
    stranger_trainer = make_user(roles=("trainer",), email="trainer2@pemko.example.go.id")
    other = make_user(name="Orang Lain", email="other@pemko.example.go.id")
    hr = make_user(roles=("hr",), email="hr@pemko.example.go.id")
    admin = make_user(roles=("admin",), email="admin@pemko.example.go.id")
    make_course("kursus-lain")
    with app.app_context():
        courses = {c.slug: c for c in db.session.scalars(select(Course))}
        for slug, course in courses.items():
            # The stranger trains a course of their own, so trainer pages are open to them.
            trainer = stranger_trainer if slug == "kursus-lain" else owner
            db.session.add(CourseTrainer(course_id=course.id, user_id=trainer.id))
        db.session.flush()
        operations.start_draft(db.session.get(User, owner.id), courses[sample["slug"]])
        # The other learner is enrolled in the essay course (without attempts), not in the first.
        db.session.add(Enrolment(user_id=other.id, course_id=courses["kursus-esai"].id))
        db.session.commit()
    return {**sample, "owner": owner, "stranger_trainer": stranger_trainer, "other": other, "hr": hr,
            "admin": admin, "essay_slug": "kursus-esai"}
