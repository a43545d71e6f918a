"""What downloading a report writes: reports carry personal data, so who took which out of the
building, in which format and with which filters, is on record."""
from __future__ import annotations

from elearn.hr.filters import ReportFilters
from elearn.models import User
from elearn.models.audit import record


def record_export(actor: User, report: str, fmt: str, filters: ReportFilters) -> None:
    """An audit entry for one export; the caller commits it before the file goes out."""
    record(actor, "report.export", "report", None, report=report, format=fmt, filters=filters.as_dict())
