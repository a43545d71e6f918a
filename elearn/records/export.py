"""One ASN's development record as files: CSV rows and a PDF."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from elearn.models import User
from elearn.pdf import html_to_pdf
from elearn.records.ledger import YearRecord
from elearn.records.training_types import training_type_label
from elearn.spreadsheet import csv_lines

CSV_HEADER = ["tahun", "sumber", "jenis_diklat_id", "jenis_diklat", "nama", "penyelenggara", "kompetensi",
              "jp", "mulai", "selesai", "nomor_sertifikat"]


def record_csv(records: list[YearRecord]) -> str:
    rows = (
        [e.year, e.source, e.training_type, training_type_label(e.training_type), e.title, e.organiser,
         e.competency, f"{e.jp:g}", e.started_on.isoformat(), e.completed_on.isoformat(), e.certificate_number or ""]
        for year in records for e in year.entries
    )
    return "".join(csv_lines(CSV_HEADER, rows))


def record_pdf(person: User, records: list[YearRecord], printed_on) -> bytes:
    """A document for the personnel file, so in Bahasa Indonesia whatever the reader's language."""
    with force_locale("id"):
        html = render_template("records/record_pdf.html", person=person, records=records, printed_on=printed_on)
    return html_to_pdf(html)
