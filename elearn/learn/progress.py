"""The one place that records and computes learning progress.

Time on a lesson is estimated on the server from page views: the time between two views of
the same course is credited to the lesson seen first, but never more than ``VIEW_CAP`` per
view, so a tab left open overnight does not count as a night of learning.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.courses.outline import LessonEntry
from elearn.extensions import db, insert_once
from elearn.models import Course, Enrolment, Lesson, LessonProgress, User

VIEW_CAP = timedelta(minutes=10)


@dataclass(frozen=True)
class CourseProgress:
    done: int
    total: int
    next_lesson: Lesson | LessonEntry | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def lessons_done(self) -> bool:
        return self.done >= self.total


def enrolment_of(user: User, course: Course) -> Enrolment | None:
    query = (select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
             .options(joinedload(Enrolment.progress)))
    return db.session.execute(query).unique().scalar_one_or_none()


def enrol(user: User, course: Course) -> Enrolment:
    """Idempotent: a second click, or two at once, gives the same enrolment."""
    existing = enrolment_of(user, course)
    if existing is not None:
        return existing
    return insert_once(Enrolment(user_id=user.id, course_id=course.id), lambda: enrolment_of(user, course))


def progress_rows(enrolment: Enrolment) -> dict[int, LessonProgress]:
    return {row.lesson_id: row for row in enrolment.progress}


def course_progress(enrolment: Enrolment | None, lessons: Sequence[Lesson | LessonEntry]) -> CourseProgress:
    """Lessons done and the next one, from the course's lessons or its outline (same ids)."""
    rows = progress_rows(enrolment) if enrolment is not None else {}
    unfinished = [lesson for lesson in lessons if not (rows.get(lesson.id) and rows[lesson.id].completed_at)]
    return CourseProgress(
        done=len(lessons) - len(unfinished),
        total=len(lessons),
        next_lesson=unfinished[0] if unfinished else None,
    )


def _row(enrolment: Enrolment, lesson: Lesson, now: datetime) -> LessonProgress:
    row = progress_rows(enrolment).get(lesson.id)
    if row is None:
        row = insert_once(
            LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson.id, first_opened_at=now, active_seconds=0),
            lambda: db.session.scalar(select(LessonProgress).where(
                LessonProgress.enrolment_id == enrolment.id, LessonProgress.lesson_id == lesson.id)))
        # The collection was loaded before the row existed.
        db.session.expire(enrolment, ["progress"])
    return row


def record_view(enrolment: Enrolment, lesson: Lesson, now: datetime,
                before: tuple[int, datetime] | None = None) -> LessonProgress:
    """A page view of a lesson: credit the time since the previous view, capped.

    A view older than the last one recorded (read offline, sent after the learner came back
    online and opened a page) leaves the last view as it was. It credits the time since
    ``before`` (the lesson and time of the view before it in the same offline reading), capped,
    as that time would have been credited online; time is never counted twice.
    """
    if enrolment.last_activity_at is not None and now < enrolment.last_activity_at:
        if before is not None:
            _credit(enrolment, *before, now)
        return _row(enrolment, lesson, now)
    if enrolment.last_lesson_id is not None and enrolment.last_activity_at is not None:
        _credit(enrolment, enrolment.last_lesson_id, enrolment.last_activity_at, now)
    enrolment.last_lesson_id = lesson.id
    enrolment.last_activity_at = now
    return _row(enrolment, lesson, now)


def _credit(enrolment: Enrolment, lesson_id: int, since: datetime, now: datetime) -> None:
    row = next((r for r in enrolment.progress if r.lesson_id == lesson_id), None)
    if row is not None:
        row.active_seconds += int(min(max(now - since, timedelta(0)), VIEW_CAP).total_seconds())


def complete_lesson(enrolment: Enrolment, lesson: Lesson, now: datetime,
                    before: tuple[int, datetime] | None = None) -> LessonProgress:
    row = record_view(enrolment, lesson, now, before)
    if row.completed_at is None:
        row.completed_at = now
    return row

