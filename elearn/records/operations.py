"""External trainings: an ASN reports one with its evidence; HR verifies or rejects it.
Only a verified training enters the development record."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import ExternalTraining, RecordEntry, User
from elearn.models.audit import record
from elearn.notifications.operations import notify
from elearn.records import evidence

REASON_LIMIT = 1000
REASON_EMPTY = _l("Give the reason for the rejection, so the employee can correct it.")
REASON_TOO_LONG = _l("The reason is %(length)d characters long; it can be at most %(max)d.")


class RecordError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def submit(user: User, fields: dict, filename: str, data: bytes) -> ExternalTraining:
    try:
        media_type = evidence.media_type(data)
    except evidence.EvidenceError as exc:
        raise RecordError(str(exc), "evidence") from exc
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
    notify(training.user, "training.verified", "/me/record", now, title=training.title, jp=training.jp)
    return entry


def reject(actor: User, training: ExternalTraining, reason: str, now: datetime) -> None:
    reason = reason.strip()
    if not reason:
        raise RecordError(str(REASON_EMPTY), "reason")
    if len(reason) > REASON_LIMIT:
        raise RecordError(REASON_TOO_LONG % {"length": len(reason), "max": REASON_LIMIT}, "reason")
    _review(actor, training, "rejected", reason, now)
    record(actor, "training.reject", "external_training", training.id, user_id=training.user_id, reason=reason)
    notify(training.user, "training.rejected", "/me/record/trainings/new", now, title=training.title, reason=reason)


def _review(actor: User, training: ExternalTraining, status: str, reason: str | None, now: datetime) -> None:
    if training.status != "pending":
        raise RecordError(_("This training has already been reviewed."))
    if training.user_id == actor.id:
        raise RecordError(_("Your own trainings are reviewed by another HR officer."))
    training.status, training.reason = status, reason
    training.reviewed_by_id, training.reviewed_at = actor.id, now


def may_see(user: User, training: ExternalTraining) -> bool:
    return training.user_id == user.id or user.has_role("hr", "admin")

