"""Revoking certificates (they are issued by ``issuing``)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from elearn.extensions import db
from elearn.models import Certificate, RecordEntry, User
from elearn.models.audit import record

MAX_REASON_LENGTH = 1000
# One text for the form and the operation, formatted by WTForms' Length or by revoke().
REASON_TOO_LONG = _l("The reason is %(length)d characters long; it can be at most %(max)d.")


class CertificateError(ValueError):
    pass


def revoke(actor: User, certificate: Certificate, reason: str, now: datetime) -> None:
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking the certificate."))
    if len(reason) > MAX_REASON_LENGTH:
        raise CertificateError(REASON_TOO_LONG % {"length": len(reason), "max": MAX_REASON_LENGTH})
    if certificate.revoked_at is not None:
        raise CertificateError(_("This certificate has already been revoked."))
    certificate.revoked_at = now
    certificate.revoked_reason = reason
    # A revoked certificate no longer proves the learning: its JP leave the development record.
    credited = db.session.scalars(delete(RecordEntry).where(RecordEntry.certificate_id == certificate.id)
                                  .returning(RecordEntry.jp)).all()
    record(actor, "certificate.revoke", "certificate", certificate.id, number=certificate.number, reason=reason,
           jp_removed=sum(credited))
