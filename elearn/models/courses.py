"""Courses once imported: the database, not the folder, is what the site serves.

A course keeps one row per lesson slug for its whole life, so progress recorded against a
lesson survives every later edit of it. Each import that changes anything adds a
``CourseVersion``, which freezes the quiz as it was: attempts point at the version they were
graded on.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.models.types import UTCDateTime
from elearn.timeutil import utcnow

COMPETENCIES = ("teknis", "manajerial", "sosial-kultural")


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300))
    jp: Mapped[float] = mapped_column(Float)
    competency: Mapped[str] = mapped_column(String(20))
    tags: Mapped[list] = mapped_column(JSON, default=list)
    authors: Mapped[list] = mapped_column(JSON, default=list)
    organiser: Mapped[str] = mapped_column(String(200))
    passing_score: Mapped[int] = mapped_column(Integer)
    description_html: Mapped[str] = mapped_column(Text)
    # "published" courses are in the catalogue; a "draft" is seen only by its trainers and admins.
    status: Mapped[str] = mapped_column(String(16), default="published", server_default="published")
    # Where its files come from: the courses/ folder ("folder") or the web editor ("web").
    source: Mapped[str] = mapped_column(String(16), default="folder", server_default="folder")
    # Evaluation: the reaction survey gates the certificate download when required; the
    # follow-up question about work comes this many days after completion.
    survey_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    follow_up_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.id", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    current_version: Mapped[CourseVersion | None] = relationship(foreign_keys=[current_version_id])
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", order_by="Lesson.position", cascade="all, delete-orphan"
    )
    files: Mapped[list[CourseFile]] = relationship(
        back_populates="course", order_by="CourseFile.path", cascade="all, delete-orphan"
    )
    trainers: Mapped[list[CourseTrainer]] = relationship(back_populates="course", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"

    @property
    def active_lessons(self) -> list[Lesson]:
        return [lesson for lesson in self.lessons if not lesson.retired]


class CourseVersion(db.Model):
    """One imported state of a course; its quiz is kept as it was then."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    quiz_settings: Mapped[dict | None] = mapped_column(JSON)
    quiz_questions: Mapped[list | None] = mapped_column(JSON)

    course: Mapped[Course] = relationship(foreign_keys=[course_id])


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    # The page itself is loaded only where it is shown: lists of lessons (home, catalogue, the
    # table of contents) would otherwise read and decode every lesson's body on every request.
    body_html: Mapped[str] = mapped_column(Text, deferred=True, deferred_group="content")
    # Ungraded knowledge checks, in page order: each question's data plus its rendered text.
    checks: Mapped[list] = mapped_column(JSON, default=list, deferred=True, deferred_group="content")
    # A lesson removed from the course folder is kept (retired) so that history still points
    # at something; it is no longer shown or required.
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    course: Mapped[Course] = relationship(back_populates="lessons")


class CourseFile(db.Model):
    """Every file of the course folder: the sources (for export and editing) and the images
    lessons show, stored in the database so that no machine needs a shared disk."""

    __tablename__ = "course_files"
    __table_args__ = (UniqueConstraint("course_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))

    course: Mapped[Course] = relationship(back_populates="files")


class CourseTrainer(db.Model):
    """A trainer who may edit a course and see how its learners do."""

    __tablename__ = "course_trainers"

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)

    course: Mapped[Course] = relationship(back_populates="trainers")


class CourseDraft(db.Model):
    """The course folder as a trainer is editing it on the web, not yet published; a new
    course has no course_id until its first publication."""

    __tablename__ = "course_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), unique=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    files: Mapped[list[CourseDraftFile]] = relationship(
        back_populates="draft", order_by="CourseDraftFile.path", cascade="all, delete-orphan"
    )


class CourseDraftFile(db.Model):
    __tablename__ = "course_draft_files"
    __table_args__ = (UniqueConstraint("draft_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("course_drafts.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    draft: Mapped[CourseDraft] = relationship(back_populates="files")
