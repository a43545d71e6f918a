"""HR's reports on screen and as files, and the SIASN export of the training history."""
from flask import (
    Blueprint,
    Response,
    current_app,
    has_request_context,
    render_template,
    request,
    send_file,
    stream_with_context,
)
from flask_login import current_user

from elearn.access import roles_required
from elearn.accounts.units import unit_options
from elearn.errors import render_error
from elearn.extensions import db
from elearn.hr.filters import (
    FilterError,
    ReportFilters,
    Sort,
    course_options,
    read_filters,
    read_sort,
)
from elearn.hr.reports import exports, siasn
from elearn.hr.reports.catalogue import REPORTS, Report
from elearn.hr.reports.operations import record_export
from elearn.hr.reports.paging import report_page
from elearn.i18n import gettext as _
from elearn.inputs import plain_int
from elearn.models.courses import COMPETENCIES
from elearn.models.users import EMPLOYMENT_TYPES
from elearn.timeutil import local_date, utcnow

bp = Blueprint("reports", __name__, url_prefix="/hr/reports")

STAFF = ("hr", "admin")
NAMES = ", ".join(REPORTS)


@bp.url_defaults
def _stay_on_report(endpoint: str, values: dict) -> None:
    """Links built on a report's page without naming a report (the shared pager's) stay on it."""
    current = (request.view_args or {}).get("report") if has_request_context() else None
    if endpoint == "reports.show" and current and "report" not in values:
        values["report"] = current


@bp.get("/")
@roles_required(*STAFF)
def index():
    return render_template("reports/index.html", reports=REPORTS.values())


@bp.get(f"/<any({NAMES}):report>")
@roles_required(*STAFF)
def show(report: str):
    definition = REPORTS[report]
    context = {
        "report": definition,
        "units": unit_options(),
        "courses": course_options(),
        "competencies": COMPETENCIES,
        "employment_types": EMPLOYMENT_TYPES,
        "file_args": {k: v for k, v in request.args.items() if k not in ("page", "lang")},
    }
    try:
        filters, sort = _read(definition)
    except FilterError as exc:
        return render_template("reports/report.html", errors=exc.messages, **context), 400
    # A page far past the end is simply empty; one past any database's integers is page 1.
    number = plain_int(request.args.get("page", "1"), 10**6) or 1
    page = report_page(definition.query(filters, sort), number)
    return render_template("reports/report.html", page=page, filters=filters, sort=sort, **context)


@bp.get(f"/<any({NAMES}):report>.<any(csv, xlsx):fmt>")
@roles_required(*STAFF)
def download(report: str, fmt: str):
    definition = REPORTS[report]
    try:
        filters, sort = _read(definition)
    except FilterError as exc:
        return render_error(400, " ".join(exc.messages))
    stmt = definition.query(filters, sort)
    filename = f"{definition.file_stem}-{local_date(utcnow()).isoformat()}.{fmt}"
    if fmt == "csv":
        _record(definition.name, fmt, filters)
        return _csv_response(stream_with_context(exports.csv_chunks(definition, stmt)), filename)
    try:
        workbook = exports.xlsx_file(definition, stmt)
    except exports.TooManyRows:
        return render_error(400, _("This is more rows than a spreadsheet can hold. Narrow the filters or "
                                   "download CSV."))
    _record(definition.name, fmt, filters)
    return _file_response(workbook, exports.XLSX_MIMETYPE, filename)


@bp.get("/siasn")
@roles_required(*STAFF)
def siasn_page():
    try:
        filters = _siasn_filters()
    except FilterError as exc:
        return render_template("reports/siasn.html", errors=exc.messages, units=unit_options()), 400
    return render_template("reports/siasn.html", filters=filters, units=unit_options(), header=siasn.HEADER)


@bp.get("/siasn.<any(csv, zip):fmt>")
@roles_required(*STAFF)
def siasn_file(fmt: str):
    try:
        filters = _siasn_filters()
    except FilterError as exc:
        return render_error(400, " ".join(exc.messages))
    name = f"siasn-riwayat-kursus-{filters.date_from.isoformat()}-{filters.date_to.isoformat()}"
    rows = siasn.entries(filters.date_from, filters.date_to, filters.unit_ids)
    if fmt == "csv":
        _record("siasn", fmt, filters)
        return _csv_response(stream_with_context(siasn.csv_file(rows)), f"{name}.csv")
    try:
        archive = siasn.zip_file(rows)
    except siasn.TooManyCertificates:
        return render_error(400, _("More than %(limit)s certificates: choose a shorter period or one unit.",
                                   limit=siasn.ZIP_LIMIT))
    _record("siasn", fmt, filters)
    return _file_response(archive, "application/zip", f"{name}.zip")


def _read(report: Report) -> tuple[ReportFilters, Sort]:
    filters = read_filters(request.args, report.filters, tuple(report.statuses), local_date(utcnow()),
                           current_app.config["JP_TARGET"])
    return filters, read_sort(request.args, report.sortable, report.default_sort)


def _siasn_filters() -> ReportFilters:
    return siasn.period_filters(request.args, local_date(utcnow()), current_app.config["JP_TARGET"])


def _record(report: str, fmt: str, filters: ReportFilters) -> None:
    record_export(current_user, report, fmt, filters)
    db.session.commit()


def _csv_response(chunks, filename: str) -> Response:
    return Response(chunks, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"})


def _file_response(file, mimetype: str, filename: str) -> Response:
    # Personal data: no copy kept by a browser or proxy on the way.
    response = send_file(file, mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response
