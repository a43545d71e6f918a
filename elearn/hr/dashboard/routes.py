from flask import Blueprint, current_app, render_template
from flask_babel import format_date

from elearn.access import roles_required
from elearn.hr.charts import Bar, columns, horizontal_bars
from elearn.hr.dashboard import figures
from elearn.i18n import gettext as _
from elearn.timeutil import local_date, utcnow

bp = Blueprint("dashboard", __name__, url_prefix="/hr")


@bp.get("/")
@roles_required("hr", "admin")
def index():
    today = local_date(utcnow())
    target = current_app.config["JP_TARGET"]
    units = figures.units_meeting_target(today.year, target)
    months = figures.completions_by_month(today)
    top, bottom = figures.courses_by_completion_rate(target)
    unit_chart = horizontal_bars(
        _("Share of civil servants meeting %(target)s JP in %(year)s, per unit", target=target, year=today.year),
        [Bar(row.unit, float(row.persen_memenuhi or 0), f"{row.persen_memenuhi or 0:.0f}%") for row in units], 100)
    month_chart = columns(
        _("Courses completed per month"),
        [Bar(_month_label(m.first_day), m.completions, str(m.completions)) for m in months])
    headcount = sum(row.pegawai for row in units)
    meeting = sum(row.memenuhi_target for row in units)
    return render_template(
        "dashboard/index.html", year=today.year, target=target, units=units, months=months, top=top, bottom=bottom,
        unit_chart=unit_chart, month_chart=month_chart, headcount=headcount, meeting=meeting,
        completions_this_year=sum(m.completions for m in months if m.first_day.year == today.year),
        pending=figures.pending_trainings(),
    )


def _month_label(first_day) -> str:
    return format_date(first_day, "MMM yy")
