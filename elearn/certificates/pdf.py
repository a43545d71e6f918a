"""The certificate as an A4 landscape PDF, from an HTML template, with no network access."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import segno
from flask import render_template
from flask_babel import force_locale
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# Fonts are looked up once per process; reusing the configuration keeps a warm render fast.
_FONTS = FontConfiguration()


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
    revoked: bool


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def render_pdf(view: CertificateView) -> bytes:
    """An official document, so it is always in Bahasa Indonesia, whatever the reader's language."""
    with force_locale("id"):
        html = render_template("certificates/certificate.html", c=view, qr=qr_data_uri(view.verify_url))
    # Only the inline QR image may be fetched: nothing from the network or the disk.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=_FONTS)
