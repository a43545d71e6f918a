from flask import Blueprint

bp = Blueprint("home", __name__)

from elearn.home import routes  # noqa: E402,F401
