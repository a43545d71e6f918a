"""The one completion path: when a course is done, everything that follows happens together
and exactly once — completion mark, certificate, development-record entry, outbox message."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from elearn.certificates.issuing import issue_certificate
from elearn.extensions import db
from elearn.learn.progress import course_progress
from elearn.models import (
    Certificate,
    Enrolment,
    OutboxMessage,
    QuizAttempt,
    RecordEntry,
)
from elearn.notifications.operations import notify
from elearn.timeutil import local_date


def passed_attempt(enrolment: Enrolment) -> QuizAttempt | None:
    """The best passed attempt, if any."""
    passed = [a for a in enrolment.attempts if a.passed]
    return max(passed, key=lambda a: (a.score or 0, -a.number), default=None)


def has_quiz(enrolment: Enrolment) -> bool:
    version = enrolment.course.current_version
    return bool(version and version.quiz_questions)


def complete_if_done(enrolment: Enrolment, now: datetime) -> Certificate | None:
    """Complete the course if every lesson is done and the quiz passed; return the new
    certificate, or None when the course is not done or was completed before.

    The enrolment row is locked first, so two requests finishing at once complete it once.
    """
    locked = db.session.scalar(
        select(Enrolment).where(Enrolment.id == enrolment.id).with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked.completed_at is not None:
        return None
    if not course_progress(locked, locked.course.active_lessons).lessons_done:
        return None
    attempt = passed_attempt(locked)
    if has_quiz(locked) and attempt is None:
        return None
    version = attempt.version if attempt else locked.course.current_version
    locked.completed_at = now
    locked.final_score = attempt.score if attempt else None
    db.session.flush()
    certificate = issue_certificate(locked, version, now)
    db.session.flush()
    _record(locked, certificate, now)
    notify(locked.user, "certificate.issued", f"/certificates/{certificate.id}.pdf", now,
           course_title=locked.course.title, number=certificate.number, jp=locked.course.jp)
    return certificate


def _record(enrolment: Enrolment, certificate: Certificate, now: datetime) -> None:
    course = enrolment.course
    completed_on = local_date(now)
    db.session.add(RecordEntry(
        user_id=enrolment.user_id,
        year=completed_on.year,
        source="course",
        enrolment_id=enrolment.id,
        certificate_id=certificate.id,
        certificate_number=certificate.number,
        title=course.title,
        organiser=course.organiser,
        competency=course.competency,
        jp=course.jp,
        started_on=local_date(enrolment.enrolled_at),
        completed_on=completed_on,
    ))
    db.session.add(OutboxMessage(kind="course.completed", payload={
        "enrolment_id": enrolment.id,
        "user_id": enrolment.user_id,
        "course": course.slug,
        "version": certificate.version_id,
        "certificate": certificate.number,
        "score": enrolment.final_score,
        "completed_at": now.isoformat(),
    }))
