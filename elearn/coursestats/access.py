"""Who may see a course's dashboard and grade its essays: the course's trainers, HR and admins."""
from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, select, true

from elearn.extensions import db
from elearn.models import Course, CourseTrainer, User

# Roles that open the dashboards at all; trainers then see only the courses they train.
ROLES = ("trainer", "hr", "admin")
SEE_ALL = ("hr", "admin")


def visible(user: User, course_id) -> ColumnElement[bool]:
    """A condition on ``course_id`` (a column) holding for the courses ``user`` may see."""
    if user.has_role(*SEE_ALL):
        return true()
    return course_id.in_(select(CourseTrainer.course_id).where(CourseTrainer.user_id == user.id))


def may_see(user: User, course_id: int) -> bool:
    return user.has_role(*SEE_ALL) or db.session.get(CourseTrainer, (course_id, user.id)) is not None


def course_or_abort(user: User, slug: str) -> Course:
    """The course, 404 when there is none, 403 when ``user`` does not train it."""
    course = db.session.scalar(select(Course).where(Course.slug == slug)) or abort(404)
    if not may_see(user, course.id):
        abort(403)
    return course
