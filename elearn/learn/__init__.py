"""What learners use: course pages, lessons and the files they show."""
from flask import Blueprint

bp = Blueprint("learn", __name__)

from elearn.learn import routes  # noqa: E402,F401
