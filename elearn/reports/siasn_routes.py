"""The SIASN export: the training history of a period, as SIASN's course record holds it."""
import tempfile
from datetime import date

from flask import (
    Response,
    current_app,
    render_template,
    request,
    send_file,
    stream_with_context,
)
from flask_login import current_user

from elearn.access import roles_required
from elearn.certificates.document import certificate_pdf
from elearn.errors import render_error
from elearn.accounts.units import unit_options
from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.models import Certificate
from elearn.models.audit import record
from elearn.reports import bp, siasn
from elearn.reports.filters import (
    FilterError,
    ReportFilters,
    read_filters,
)
from elearn.timeutil import local_date, utcnow


def _filters() -> ReportFilters:
    today = local_date(utcnow())
    filters = read_filters(request.args, ("unit", "from", "to"), (), today, current_app.config["JP_TARGET"])
    # Without dates: this year so far, the period most uploads are for.
    return ReportFilters(**{**filters.__dict__, "date_from": filters.date_from or date(today.year, 1, 1),
                            "date_to": filters.date_to or today})


@bp.get("/siasn")
@roles_required("hr", "admin")
def siasn_page():
    try:
        filters = _filters()
    except FilterError as exc:
        return render_template("reports/siasn.html", errors=exc.messages, units=unit_options()), 400
    return render_template("reports/siasn.html", filters=filters, units=unit_options(), header=siasn.HEADER)


@bp.get("/siasn.<any(csv, zip):fmt>")
@roles_required("hr", "admin")
def siasn_file(fmt: str):
    try:
        filters = _filters()
    except FilterError as exc:
        return render_error(400, " ".join(exc.messages))
    name = f"siasn-riwayat-kursus-{filters.date_from.isoformat()}-{filters.date_to.isoformat()}"
    rows = siasn.entries(filters.date_from, filters.date_to, filters.unit_ids)
    if fmt == "csv":
        _log(fmt, filters)
        return Response(stream_with_context(siasn.csv_file(rows)), mimetype="text/csv", headers={
            "Content-Disposition": f"attachment; filename={name}.csv", "Cache-Control": "no-store"})
    rows = [row for _, row in zip(range(siasn.ZIP_LIMIT + 1), rows, strict=False)]
    if len(rows) > siasn.ZIP_LIMIT:
        return render_error(400, _("More than %(limit)s certificates: choose a shorter period or one unit.",
                                   limit=siasn.ZIP_LIMIT))
    archive = tempfile.TemporaryFile()
    siasn.write_zip(archive, rows, lambda certificate_id: certificate_pdf(db.session.get(Certificate, certificate_id)))
    archive.seek(0)
    _log(fmt, filters)
    response = send_file(archive, mimetype="application/zip", as_attachment=True, download_name=f"{name}.zip")
    response.headers["Cache-Control"] = "no-store"
    return response


def _log(fmt: str, filters: ReportFilters) -> None:
    record(current_user, "report.export", "report", None, report="siasn", format=fmt, filters=filters.as_dict())
    db.session.commit()
