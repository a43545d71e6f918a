"""Finding certificates, and who may have one: by number, by verification code, by search."""
from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload

from elearn.extensions import db
from elearn.inputs import plain_int
from elearn.models import Certificate, SurveyResponse, User


def find(ident: str) -> Certificate | None:
    """By official number, or by database id."""
    query = select(Certificate).options(joinedload(Certificate.user))
    certificate = db.session.scalar(query.where(Certificate.number == ident))
    if certificate is None and (certificate_id := plain_int(ident)) is not None:
        certificate = db.session.scalar(query.where(Certificate.id == certificate_id))
    return certificate


def by_code(code: str) -> Certificate | None:
    if len(code) != 32 or not all(c in "0123456789abcdef" for c in code):
        return None
    return db.session.scalar(
        select(Certificate).options(joinedload(Certificate.user))
        .where(Certificate.code == code)
    )


def search(q: str) -> list[Certificate]:
    """Up to 100 certificates whose number, holder's NIP or holder's name contains ``q``, newest first."""
    return db.session.scalars(
        select(Certificate).join(User, Certificate.user_id == User.id)
        .options(joinedload(Certificate.user))
        .where(or_(*(column.icontains(q, autoescape=True) for column in (Certificate.number, User.nip, User.name))))
        .order_by(Certificate.issued_at.desc()).limit(100)
    ).all()


def may_download(user: User, certificate: Certificate) -> bool:
    return certificate.user_id == user.id or user.has_role("hr", "admin")


def awaits_survey(user: User, certificate: Certificate) -> bool:
    """The survey gate: the owner of a certificate waits for it until they have answered the
    course's survey, when the course requires one. HR and admins downloading someone's
    certificate are never held up. Asked here, from the stored answers, so that certificates
    need not know the evaluation feature that collects them."""
    return (
        certificate.user_id == user.id
        and certificate.course.survey_required
        and not db.session.scalar(select(exists().where(SurveyResponse.enrolment_id == certificate.enrolment_id)))
    )


def masked_nip(nip: str | None) -> str:
    """Enough to recognise one's own number, too little to harvest it."""
    if not nip:
        return "—"
    return nip[:4] + "•" * (len(nip) - 8) + nip[-4:]
