"""HR reports: completions, JP compliance, unit and course summaries, on screen and as files."""
from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/hr/reports")

from elearn.reports import routes, siasn_routes  # noqa: E402,F401
