from flask import (
    Response,
    current_app,
    has_request_context,
    render_template,
    request,
    send_file,
    stream_with_context,
)
from flask_login import current_user
from flask_sqlalchemy.pagination import SelectPagination

from elearn.access import roles_required
from elearn.errors import render_error
from elearn.accounts.units import unit_options
from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.inputs import plain_int
from elearn.models.audit import record
from elearn.models.courses import COMPETENCIES
from elearn.models.users import EMPLOYMENT_TYPES
from elearn.reports import bp, exports
from elearn.reports.catalogue import REPORTS, Report
from elearn.reports.filters import (
    FilterError,
    ReportFilters,
    Sort,
    course_options,
    read_filters,
    read_sort,
)
from elearn.timeutil import local_date, utcnow

STAFF = ("hr", "admin")
PER_PAGE = 50
NAMES = ", ".join(REPORTS)


class RowPagination(SelectPagination):
    """db.paginate for selects of several columns: each item is a whole row, not its first value."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select))


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
    page = RowPagination(select=definition.query(filters, sort), session=db.session, page=number, per_page=PER_PAGE,
                         max_per_page=PER_PAGE, error_out=False)
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
        _log_export(definition, fmt, filters)
        return Response(
            stream_with_context(exports.csv_chunks(definition, stmt)),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"},
        )
    try:
        workbook = exports.xlsx_file(definition, stmt)
    except exports.TooManyRows:
        return render_error(400, _("This is more rows than a spreadsheet can hold. Narrow the filters or "
                                   "download CSV."))
    _log_export(definition, fmt, filters)
    response = send_file(workbook, mimetype=exports.XLSX_MIMETYPE, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


def _read(report: Report) -> tuple[ReportFilters, Sort]:
    filters = read_filters(request.args, report.filters, tuple(report.statuses), local_date(utcnow()),
                           current_app.config["JP_TARGET"])
    return filters, read_sort(request.args, report.sortable, report.default_sort)


def _log_export(report: Report, fmt: str, filters: ReportFilters) -> None:
    """Reports carry personal data: who took which out of the building is on record."""
    record(current_user, "report.export", "report", None, report=report.name, format=fmt,
           filters=filters.as_dict())
    db.session.commit()
