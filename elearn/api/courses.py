"""The published course list: courses that have a current version to learn from."""
from __future__ import annotations

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import Course, CourseVersion, Lesson


def course_list() -> list[dict]:
    lessons = (
        select(func.count(Lesson.id))
        .where(Lesson.course_id == Course.id, Lesson.retired.is_(False))
        .correlate(Course)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Course, CourseVersion.number, lessons.label("lessons"))
        .join(CourseVersion, Course.current_version_id == CourseVersion.id)
        .where(Course.status == "published")
        .order_by(Course.slug)
    ).all()
    return [_item(course, version, lesson_count) for course, version, lesson_count in rows]


def _item(course: Course, version: int, lesson_count: int) -> dict:
    return {
        "id": course.slug,
        "title": course.title,
        "summary": course.summary,
        "jp": course.jp,
        "competency": course.competency,
        "tags": list(course.tags or []),
        "passing_score": course.passing_score,
        "organiser": course.organiser,
        "version": version,
        "lessons": lesson_count,
    }
