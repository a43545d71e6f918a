"""The training history in the shape of SIASN's course record ("riwayat kursus"): one row per
completed course or verified external training, with exactly the fields SIASN holds, and the
certificate files beside them when asked for."""
from __future__ import annotations

import dataclasses
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from typing import IO

from sqlalchemy import select

from elearn.certificates.document import certificate_pdf
from elearn.extensions import db
from elearn.hr.filters import ReportFilters, read_filters
from elearn.models import Certificate, ExternalTraining, RecordEntry, User
from elearn.spreadsheet import csv_lines

HEADER = ["nip", "jenisDiklatId", "namaKursus", "institusiPenyelenggara", "nomorSertipikat", "jumlahJam",
          "tahunKursus", "tanggalKursus", "tanggalSelesaiKursus", "dokumen"]
ZIP_LIMIT = 2000


class TooManyCertificates(ValueError):
    """More rows than one archive takes (``ZIP_LIMIT``): the period or the unit must shrink."""


def period_filters(args: Mapping[str, str], today: date, jp_target: float) -> ReportFilters:
    """The unit and period of the export from the query string (FilterError if wrong)."""
    filters = read_filters(args, ("unit", "from", "to"), (), today, jp_target)
    # Without dates: this year so far, the period most uploads are for.
    return dataclasses.replace(filters, date_from=filters.date_from or date(today.year, 1, 1),
                               date_to=filters.date_to or today)


def entries(date_from: date, date_to: date, unit_ids: tuple[int, ...] | None) -> Iterator[tuple[RecordEntry, str]]:
    """Record entries completed in the period, with the person's NIP, in NIP order; people
    without a NIP (accounts that are not ASN) have no SIASN record and are left out.

    So are revoked certificates: revoking one removes its entry, but certificates revoked
    before revocation did so still have theirs."""
    query = (
        select(RecordEntry, User.nip).join(User, User.id == RecordEntry.user_id)
        .outerjoin(Certificate, Certificate.id == RecordEntry.certificate_id)
        .where(RecordEntry.completed_on >= date_from, RecordEntry.completed_on <= date_to, User.nip.is_not(None),
               Certificate.revoked_at.is_(None))
        .order_by(User.nip, RecordEntry.completed_on, RecordEntry.id)
    )
    if unit_ids is not None:
        query = query.where(User.unit_id.in_(unit_ids))
    yield from db.session.execute(query.execution_options(yield_per=1000))


def document_name(entry: RecordEntry, nip: str, extension: str) -> str:
    number = "".join(c if c.isalnum() or c in "-_" else "-" for c in entry.certificate_number or str(entry.id))
    return f"{nip}_{number}.{extension}"


def row(entry: RecordEntry, nip: str, document: str = "") -> list:
    # SIASN keeps whole hours, rounded half up; a course of 0.5 JP still counts as one.
    hours = max(1, int(Decimal(str(entry.jp)).quantize(Decimal(1), ROUND_HALF_UP)))
    return [nip, entry.training_type, entry.title, entry.organiser, entry.certificate_number or "", hours,
            entry.completed_on.year, entry.started_on.isoformat(), entry.completed_on.isoformat(), document]


def csv_file(rows: Iterator[tuple[RecordEntry, str]]) -> Iterator[str]:
    return csv_lines(HEADER, (row(entry, nip) for entry, nip in rows))


_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def zip_file(rows: Iterator[tuple[RecordEntry, str]]) -> IO[bytes]:
    """The archive in an anonymous temporary file, which disappears when closed.

    Too many rows are found out after reading one more than the limit, before any PDF is
    rendered. Raises TooManyCertificates."""
    chosen = list(islice(rows, ZIP_LIMIT + 1))
    if len(chosen) > ZIP_LIMIT:
        raise TooManyCertificates(len(chosen))
    archive = tempfile.TemporaryFile()  # noqa: SIM115  (the response that sends it closes it)
    _write_zip(archive, chosen)
    archive.seek(0)
    return archive


def _write_zip(target: IO[bytes], rows: list[tuple[RecordEntry, str]]) -> None:
    """The CSV and each row's certificate: the PDF elearn issued, or the evidence the ASN
    uploaded for an external training."""
    lines: list[list] = []
    used: set[str] = set()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, nip in rows:
            document, content = "", b""
            if entry.certificate_id is not None:
                certificate = db.session.get(Certificate, entry.certificate_id)
                document, content = document_name(entry, nip, "pdf"), certificate_pdf(certificate)
            elif entry.external_id is not None:
                training = db.session.get(ExternalTraining, entry.external_id)
                document = document_name(entry, nip, _EXTENSIONS.get(training.evidence_type, "bin"))
                content = training.evidence
            if document:
                # Two trainings may carry the same number; each file must keep its own name.
                if document in used:
                    stem, extension = document.rsplit(".", 1)
                    document = f"{stem}-{entry.id}.{extension}"
                used.add(document)
                archive.writestr(document, content)
            lines.append(row(entry, nip, document))
        archive.writestr("riwayat-kursus.csv", "".join(csv_lines(HEADER, lines)))
