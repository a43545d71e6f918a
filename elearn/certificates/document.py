"""What a certificate shows, gathered from the database for the PDF renderer."""
from __future__ import annotations

from flask import current_app, url_for

from elearn.certificates.operations import CertificateError
from elearn.certificates.pdf import CertificateView, render_pdf
from elearn.models import Certificate
from elearn.timeutil import local_date


def view_for(certificate: Certificate, verify_url: str, config) -> CertificateView:
    user, enrolment = certificate.user, certificate.enrolment
    return CertificateView(
        number=certificate.number,
        verify_url=verify_url,
        institution=f"Pemerintah {config['CITY']} — {config['INSTITUTION']}",
        course_title=certificate.course_title,
        jp=certificate.jp,
        competency=certificate.competency,
        started_on=local_date(enrolment.enrolled_at),
        completed_on=local_date(certificate.issued_at),
        participant_name=user.name,
        nip=user.nip,
        birth_place=user.birth_place,
        birth_date=user.birth_date,
        rank=user.rank,
        position=user.position,
        agency=user.unit.name if user.unit else config["CITY"],
        score=enrolment.final_score,
        signatory_name=config["SIGNATORY_NAME"],
        signatory_title=config["SIGNATORY_TITLE"],
        signatory_nip=config["SIGNATORY_NIP"],
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF, its QR pointing at this site's verification page.

    Never for a revoked certificate: a stamp is easily edited out, and a copy without one passes for valid."""
    if certificate.revoked_at is not None:
        raise CertificateError(f"certificate {certificate.id} is revoked; it has no PDF")
    verify_url = url_for("certificates.verify", code=certificate.code, _external=True)
    return render_pdf(view_for(certificate, verify_url, current_app.config))
