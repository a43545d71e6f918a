"""What learners do: enrolments, lesson progress, knowledge-check answers, quiz attempts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.models.courses import Course, CourseVersion, Lesson
from elearn.models.types import UTCDateTime
from elearn.models.users import User
from elearn.timeutil import utcnow


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    final_score: Mapped[float | None] = mapped_column(Float)
    # The lesson seen last and when: time on a lesson is measured from one page view to the next.
    last_lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id"))
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    progress: Mapped[list[LessonProgress]] = relationship(back_populates="enrolment", cascade="all, delete-orphan")
    attempts: Mapped[list[QuizAttempt]] = relationship(
        back_populates="enrolment", order_by="QuizAttempt.number", cascade="all, delete-orphan"
    )


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("enrolment_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    first_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active_seconds: Mapped[int] = mapped_column(Integer, default=0)

    enrolment: Mapped[Enrolment] = relationship(back_populates="progress")
    lesson: Mapped[Lesson] = relationship()


class CheckAnswer(db.Model):
    """The learner's latest answer to an ungraded knowledge check in a lesson."""

    __tablename__ = "check_answers"
    __table_args__ = (UniqueConstraint("enrolment_id", "lesson_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"))
    question_key: Mapped[str] = mapped_column(String(100))
    answer: Mapped[object | None] = mapped_column(JSON)
    fraction: Mapped[float | None] = mapped_column(Float)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuizAttempt(db.Model):
    """One try at a course's quiz, graded against the course version it was started on."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (UniqueConstraint("enrolment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Question keys in the order shown, and each question's option order when shuffled.
    layout: Mapped[dict] = mapped_column(JSON, default=dict)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    grades: Mapped[dict | None] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    # open → submitted (graded) or pending (an essay waits for a trainer)
    status: Mapped[str] = mapped_column(String(16), default="open")
    passed: Mapped[bool | None] = mapped_column()

    enrolment: Mapped[Enrolment] = relationship(back_populates="attempts")
    version: Mapped[CourseVersion] = relationship()
