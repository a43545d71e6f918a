"""External trainings: an ASN reports one with its evidence; HR verifies or rejects it.
Only a verified training enters the development record."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import ExternalTraining, RecordEntry, User
from elearn.models.audit import record

EVIDENCE_LIMIT = 2 * 1024 * 1024

# What the file's first bytes say it is; the name and the browser's word are not trusted.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class RecordError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def evidence_type(data: bytes) -> str:
    """The evidence's media type, read from its content; a RecordError when it is not
    a PDF, JPEG or PNG of at most 2 MB."""
    if not data:
        raise RecordError(_("The evidence file is empty."), "evidence")
    if len(data) > EVIDENCE_LIMIT:
        raise RecordError(_("The evidence file is larger than 2 MB."), "evidence")
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    raise RecordError(_("The evidence must be a PDF, JPEG or PNG file."), "evidence")


def submit(user: User, fields: dict, filename: str, data: bytes) -> ExternalTraining:
    media_type = evidence_type(data)
    if fields["ended_on"] < fields["started_on"]:
        raise RecordError(_("The training cannot end before it starts."), "ended_on")
    reported = db.session.scalar(select(ExternalTraining.id).where(
        ExternalTraining.user_id == user.id, ExternalTraining.status != "rejected",
        func.lower(ExternalTraining.certificate_number) == fields["certificate_number"].lower()))
    if reported is not None or _credited(user.id, fields["certificate_number"]):
        raise RecordError(_("You have already reported the training with this certificate number."),
                          "certificate_number")
    training = ExternalTraining(
        user_id=user.id, evidence=data, evidence_name=filename[-255:] or "bukti",
        evidence_type=media_type, evidence_size=len(data), status="pending", **fields,
    )
    db.session.add(training)
    db.session.flush()
    record(user, "training.submit", "external_training", training.id, title=training.title, jp=training.jp)
    return training


def _credited(user_id: int, certificate_number: str) -> bool:
    """Whether the record already holds a training with this certificate number (a course of
    elearn's own, or an external training verified before)."""
    return db.session.scalar(select(RecordEntry.id).where(
        RecordEntry.user_id == user_id,
        func.lower(RecordEntry.certificate_number) == certificate_number.lower())) is not None


def verify(actor: User, training: ExternalTraining, now: datetime) -> RecordEntry:
    # Checked again here, under the row lock: two reports sent at once both passed submit().
    if _credited(training.user_id, training.certificate_number):
        raise RecordError(_("The record already holds a training with this certificate number: reject this one."))
    _review(actor, training, "verified", None, now)
    entry = RecordEntry(
        user_id=training.user_id, year=training.ended_on.year, source="external", external_id=training.id,
        certificate_number=training.certificate_number, title=training.title, organiser=training.organiser,
        training_type=training.training_type, competency=training.competency, jp=training.jp,
        started_on=training.started_on, completed_on=training.ended_on,
    )
    db.session.add(entry)
    record(actor, "training.verify", "external_training", training.id, user_id=training.user_id, jp=training.jp)
    return entry


def reject(actor: User, training: ExternalTraining, reason: str, now: datetime) -> None:
    reason = reason.strip()
    if not reason:
        raise RecordError(_("Give the reason for the rejection, so the employee can correct it."))
    _review(actor, training, "rejected", reason[:1000], now)
    record(actor, "training.reject", "external_training", training.id, user_id=training.user_id, reason=reason)


def _review(actor: User, training: ExternalTraining, status: str, reason: str | None, now: datetime) -> None:
    if training.status != "pending":
        raise RecordError(_("This training has already been reviewed."))
    if training.user_id == actor.id:
        raise RecordError(_("Your own trainings are reviewed by another HR officer."))
    training.status, training.reason = status, reason
    training.reviewed_by_id, training.reviewed_at = actor.id, now


def may_see(user: User, training: ExternalTraining) -> bool:
    return training.user_id == user.id or user.has_role("hr", "admin")

