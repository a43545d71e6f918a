"""The read-only JSON API for other systems, under /api/v1 with bearer tokens."""
from flask import Blueprint

from elearn.extensions import csrf, limiter

RATE_LIMIT = "120 per minute"

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Clients authenticate with a header, never a cookie, so no other site can send a request as them.
csrf.exempt(bp)
limiter.limit(RATE_LIMIT, error_message=f"Too many requests from this address: at most {RATE_LIMIT}")(bp)

from elearn.api import errors, routes  # noqa: E402,F401

errors.init_blueprint(bp)
