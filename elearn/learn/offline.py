"""A course as a learner downloads it to read offline: its pages and files, and their size.

The browser fetches each page with ``X-Elearn-Purpose: offline``. Such a fetch is not a
lesson view (no time is credited) and the page it gets says that it is a copy, so that its
script queues what the learner does there instead of posting it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import request, url_for
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.i18n import format_decimal
from elearn.models import Course, CourseFile, Lesson

PURPOSE_HEADER = "X-Elearn-Purpose"
# The layout around a lesson's text (header, menu, list of lessons): about 9 kB on the
# shipped courses, rounded up, so that the size shown before a download is not too low.
PAGE_LAYOUT_BYTES = 9_500


@dataclass(frozen=True)
class Package:
    course: str
    title: str
    version: int
    urls: list[str]
    bytes: int

    def as_json(self) -> dict:
        return asdict(self)


def is_offline_copy() -> bool:
    return request.headers.get(PURPOSE_HEADER) == "offline"


def downloadable(course: Course) -> bool:
    """Published courses only: a trainer trying out a hidden course does so online."""
    return course.status == "published" and course.current_version_id is not None


def is_served(path: str) -> bool:
    """Course files in a folder (images/, files/) are served; course.md and its kin are sources."""
    return "/" in path


def _served_files(course: Course) -> list[tuple[str, int]]:
    rows = db.session.execute(select(CourseFile.path, func.length(CourseFile.content))
                              .where(CourseFile.course_id == course.id).order_by(CourseFile.path))
    return [(path, size) for path, size in rows if is_served(path)]


def size(course: Course, files: list[tuple[str, int]] | None = None) -> int:
    """About how many bytes a download of the course takes, rather more than less."""
    text_bytes = db.session.scalar(
        select(func.coalesce(func.sum(func.length(Lesson.body_html)), 0))
        .where(Lesson.course_id == course.id, Lesson.retired.is_(False)))
    files = _served_files(course) if files is None else files
    return text_bytes + sum(size for _, size in files) + (len(course.active_lessons) + 1) * PAGE_LAYOUT_BYTES


def size_label(size: int) -> str:
    """A download's size as a person reads it: 850 kB, 1.2 MB (in the reader's number format)."""
    if size < 1_000_000:
        return f"{format_decimal(max(1, round(size / 1000)))} kB"
    return f"{format_decimal(round(size / 1_000_000, 1))} MB"


def package(course: Course) -> Package:
    """What a download of the course holds: its page, every lesson and every served file."""
    files = _served_files(course)
    urls = [url_for("learn.course", slug=course.slug)]
    urls += [url_for("learn.lesson", slug=course.slug, lesson_slug=lesson.slug) for lesson in course.active_lessons]
    urls += [url_for("learn.course_file", slug=course.slug, path=path) for path, _ in files]
    return Package(course=course.slug, title=course.title, version=course.current_version_id, urls=urls,
                   bytes=size(course, files))
