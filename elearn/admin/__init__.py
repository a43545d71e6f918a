"""Staff administration for HR and admins: people, units, roster imports, the audit log."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from elearn.admin import (
    api_tokens,  # noqa: E402,F401
    routes,  # noqa: E402,F401
)
