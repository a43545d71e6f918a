"""Training-needs analysis: required competencies, each ASN's gaps and the courses that close
them, the needs ASN propose themselves, HR's needs matrix, and individual development plans."""
from flask import Blueprint

bp = Blueprint("needs", __name__)

from elearn.needs import plans, routes  # noqa: E402,F401
