import logging
import time

from flask import Blueprint, current_app
from sqlalchemy.exc import SQLAlchemyError

from elearn.access import public
from elearn.extensions import db, limiter

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

# A database that answered this recently is taken as reachable without asking again: however many
# balancers and monitors poll the process, the database sees at most one question a second from
# it. A failure is never remembered: the next poll asks again.
CONFIRMED_SECONDS = 1.0


@bp.get("/healthz")
@public
@limiter.exempt
def healthz():
    state = current_app.extensions.setdefault("elearn.health", {"confirmed_until": 0.0})
    now = time.monotonic()
    if now >= state["confirmed_until"]:
        try:
            with db.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except SQLAlchemyError as exc:
            log.warning("health check: database unreachable: %s", exc)
            return {"status": "error", "database": "unreachable"}, 503
        state["confirmed_until"] = now + CONFIRMED_SECONDS
    return {"status": "ok", "database": "ok"}
