"""Finding what the editor works on: a course, its open draft, the draft's files."""
from __future__ import annotations

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Course, CourseDraft


def course_for(slug: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == slug))


def draft_for(slug: str) -> CourseDraft | None:
    return db.session.scalar(select(CourseDraft).where(CourseDraft.slug == slug))


def files_of(draft: CourseDraft) -> dict[str, bytes]:
    return {file.path: file.content for file in draft.files}
