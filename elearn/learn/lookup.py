"""Finding the course, lesson and learner's enrolment that a learning or quiz page is about."""
from flask import abort, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.access import may_edit
from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.learn.progress import enrolment_of
from elearn.models import Course, Enrolment, Lesson


def visible(course: Course) -> bool:
    """A course kept out of the catalogue is for its trainers and admins to try out; to
    everyone else it does not exist."""
    return course.status == "published" or may_edit(current_user, course)


def course_or_404(slug: str) -> Course:
    """The course with its lessons and current version in one query: every page lists them."""
    query = (select(Course).where(Course.slug == slug)
             .options(joinedload(Course.lessons), joinedload(Course.current_version)))
    course = db.session.execute(query).unique().scalar_one_or_none()
    if course is None or not visible(course):
        abort(404)
    return course


def enrolment_or_redirect(course: Course) -> Enrolment:
    """Lessons and quizzes are for enrolled learners only."""
    enrolment = enrolment_of(current_user, course)
    if enrolment is None:
        flash(_("Enrol in the course first."), "info")
        abort(redirect(url_for("learn.course", slug=course.slug)))
    return enrolment


def lesson_or_404(course: Course, lesson_slug: str) -> Lesson:
    lesson = next((lesson for lesson in course.active_lessons if lesson.slug == lesson_slug), None)
    return lesson or abort(404)


def quiz_or_404(slug: str) -> tuple[Course, Enrolment]:
    """The course of a quiz page and the learner's enrolment; a course without a quiz has none."""
    course = course_or_404(slug)
    if not (course.current_version and course.current_version.quiz_questions):
        abort(404)
    return course, enrolment_or_redirect(course)
