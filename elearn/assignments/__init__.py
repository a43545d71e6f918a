"""Mandatory training: HR assigns a course with a due date; learners see it first."""
from flask import Blueprint

bp = Blueprint("assignments", __name__, url_prefix="/hr/assignments")

from elearn.assignments import routes  # noqa: E402,F401
