"""The one place that issues certificates: an official number from a yearly sequence with no
gaps, and a 128-bit random code for the public verification page."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.extensions import db
from elearn.models import Certificate, CertificateCounter, CourseVersion, Enrolment
from elearn.timeutil import local_date


def next_sequence(year: int) -> int:
    """Take the next number of the year; the counter row stays locked until the commit."""
    query = select(CertificateCounter).where(CertificateCounter.year == year).with_for_update()
    counter = db.session.scalar(query.execution_options(populate_existing=True))
    if counter is None:
        try:
            with db.session.begin_nested():
                db.session.add(CertificateCounter(year=year, last=0))
        except IntegrityError:
            pass
        counter = db.session.scalar(query.execution_options(populate_existing=True))
    counter.last += 1
    return counter.last


def format_number(sequence: int, year: int) -> str:
    pattern = current_app.config["CERTIFICATE_NUMBER_PATTERN"]
    return pattern.format(seq=sequence, year=year, code=current_app.config["CERTIFICATE_CODE"])


def issue_certificate(enrolment: Enrolment, version: CourseVersion, now: datetime) -> Certificate:
    year = local_date(now).year
    sequence = next_sequence(year)
    certificate = Certificate(
        number=format_number(sequence, year),
        year=year,
        sequence=sequence,
        code=secrets.token_hex(16),
        enrolment_id=enrolment.id,
        user_id=enrolment.user_id,
        course_id=enrolment.course_id,
        version_id=version.id,
        course_title=enrolment.course.title,
        jp=enrolment.course.jp,
        competency=enrolment.course.competency,
        issued_at=now,
    )
    db.session.add(certificate)
    return certificate
