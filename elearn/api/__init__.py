"""The read-only JSON API for other systems, under /api/v1 with bearer tokens."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
