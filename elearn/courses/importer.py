"""A loaded course into the database: unchanged courses are left alone, changed ones get a
new version, and lessons keep their rows (and so everyone's progress) by slug."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from elearn.courses.loader import LoadedCourse
from elearn.extensions import db
from elearn.models import User
from elearn.models.audit import record
from elearn.models.courses import Course, CourseFile, CourseVersion, Lesson
from elearn.timeutil import utcnow

COURSE_ATTRIBUTES = ("title", "summary", "jp", "competency", "tags", "authors", "organiser", "passing_score",
                     "follow_up_days")


@dataclass(frozen=True)
class ImportResult:
    course: Course
    status: str  # "created", "updated" or "unchanged"
    version: int


def import_course(loaded: LoadedCourse, actor: User | None = None) -> ImportResult:
    """Add the course to the caller's transaction; the caller commits once for all courses."""
    course = db.session.scalar(select(Course).where(Course.slug == loaded.slug))
    if course is not None and course.current_version is not None:
        if course.current_version.content_hash == loaded.content_hash:
            return ImportResult(course, "unchanged", course.current_version.number)
    status = "created" if course is None else "updated"
    if course is None:
        course = Course(slug=loaded.slug)
        db.session.add(course)
    for name in COURSE_ATTRIBUTES:
        setattr(course, name, loaded.meta[name])
    course.survey_required = loaded.meta["survey"] == "required"
    course.description_html = loaded.description_html
    course.updated_at = utcnow()
    _sync_lessons(course, loaded)
    _sync_files(course, loaded.files)
    version = _new_version(course, loaded)
    record(actor, f"course.{status}", "course", course.id, slug=course.slug, version=version.number)
    return ImportResult(course, status, version.number)


def _new_version(course: Course, loaded: LoadedCourse) -> CourseVersion:
    db.session.flush()
    number = (course.current_version.number + 1) if course.current_version else 1
    version = CourseVersion(
        course_id=course.id,
        number=number,
        content_hash=loaded.content_hash,
        quiz_settings=loaded.quiz.settings if loaded.quiz else None,
        quiz_questions=loaded.quiz.questions if loaded.quiz else None,
    )
    db.session.add(version)
    db.session.flush()
    course.current_version = version
    return version


def _sync_lessons(course: Course, loaded: LoadedCourse) -> None:
    """Same slug, same row: a fixed typo keeps every completion of the lesson."""
    existing = {lesson.slug: lesson for lesson in course.lessons}
    for item in loaded.lessons:
        lesson = existing.pop(item.slug, None)
        if lesson is None:
            lesson = Lesson(slug=item.slug)
            course.lessons.append(lesson)
        lesson.position = item.position
        lesson.title = item.title
        lesson.minutes = item.minutes
        lesson.body_html = item.body_html
        lesson.checks = item.checks
        lesson.retired = False
    for number, lesson in enumerate(existing.values(), start=len(loaded.lessons)):
        lesson.retired = True
        lesson.position = number


def _sync_files(course: Course, files: dict[str, bytes]) -> None:
    existing = {file.path: file for file in course.files}
    for path, content in files.items():
        digest = hashlib.sha256(content).hexdigest()
        file = existing.pop(path, None)
        if file is None:
            course.files.append(CourseFile(path=path, content=content, sha256=digest))
        elif file.sha256 != digest:
            file.content, file.sha256 = content, digest
    for file in existing.values():
        course.files.remove(file)
