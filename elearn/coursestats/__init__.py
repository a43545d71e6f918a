"""Course dashboards for a course's trainers, HR and admins: how learners progress, where they
stop, how each quiz question does, and the queue of essay answers waiting for a grade."""
from flask import Blueprint

bp = Blueprint("coursestats", __name__, url_prefix="/trainer")

from elearn.coursestats import routes  # noqa: E402,F401
