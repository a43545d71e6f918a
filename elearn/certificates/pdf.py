"""The certificate as an A4 landscape PDF, from an HTML template."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import segno
from flask import render_template
from flask_babel import force_locale

from elearn.pdf import html_to_pdf


@dataclass(frozen=True)
class CertificateView:
    number: str
    verify_url: str
    institution: str
    course_title: str
    jp: float
    competency: str
    started_on: date
    completed_on: date
    participant_name: str
    nip: str | None
    birth_place: str | None
    birth_date: date | None
    rank: str | None
    position: str | None
    agency: str
    score: float | None
    signatory_name: str
    signatory_title: str
    signatory_nip: str | None


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def render_pdf(view: CertificateView) -> bytes:
    """An official document, so it is always in Bahasa Indonesia, whatever the reader's language."""
    with force_locale("id"):
        html = render_template("certificates/certificate.html", c=view, qr=qr_data_uri(view.verify_url))
    return html_to_pdf(html)
