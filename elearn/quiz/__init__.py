"""The graded final quiz of a course."""
from flask import Blueprint

bp = Blueprint("quiz", __name__)

from elearn.quiz import routes  # noqa: E402,F401
