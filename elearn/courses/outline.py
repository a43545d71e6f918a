"""A course's lessons as the pages that list many courses need them (the learner's home, the
catalogue): id, slug, title and minutes, without the lesson pages themselves.

Each worker keeps the outlines it has read. An outline is keyed by the course row's
``updated_at`` and current version, which every import that changes a lesson moves (from the
folder or from the web editor): a worker never serves an outline older than the course row
it was handed, and the cache holds one entry per course.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Course, Lesson


@dataclass(frozen=True)
class LessonEntry:
    id: int
    slug: str
    title: str
    minutes: int


def outlines(courses: Iterable[Course]) -> dict[int, tuple[LessonEntry, ...]]:
    """The active lessons of each course, in order, by course id; one query for those not yet known."""
    cache = current_app.extensions.setdefault("lesson_outlines", {})
    stamps = {course.id: (course.updated_at, course.current_version_id) for course in courses}
    missing = [course_id for course_id, stamp in stamps.items() if cache.get(course_id, (None,))[0] != stamp]
    if missing:
        found: dict[int, list[LessonEntry]] = defaultdict(list)
        rows = db.session.execute(
            select(Lesson.course_id, Lesson.id, Lesson.slug, Lesson.title, Lesson.minutes)
            .where(Lesson.course_id.in_(missing), Lesson.retired.is_(False))
            .order_by(Lesson.course_id, Lesson.position))
        for course_id, *entry in rows:
            found[course_id].append(LessonEntry(*entry))
        for course_id in missing:
            cache[course_id] = (stamps[course_id], tuple(found[course_id]))
    return {course_id: cache[course_id][1] for course_id in stamps}
