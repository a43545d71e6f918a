"""Development records (riwayat pengembangan kompetensi): JP credited per year, from completed
courses and from external trainings that HR has verified."""
from flask import Blueprint

bp = Blueprint("records", __name__)

from elearn.records import routes  # noqa: E402,F401
