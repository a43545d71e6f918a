"""The HR dashboard: the figures people read at a glance, drawn on the server."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/hr")

from elearn.dashboard import routes  # noqa: E402,F401
