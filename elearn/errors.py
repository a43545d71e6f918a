"""Error pages in the user's language, for every status the app can answer with."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from elearn.i18n import lazy_gettext as _l

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Access denied"), _l("Your account does not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page you are looking for does not exist or has moved.")),
    405: (_l("Not allowed"), _l("This page cannot be opened or sent this way.")),
    413: (_l("File too large"), _l("The file is larger than allowed. Choose a smaller file.")),
    429: (
        _l("Too many attempts"),
        _l("You have tried too often. Wait a few minutes, then try again."),
    ),
    500: (_l("Something went wrong"), _l("The error has been logged. Please try again later.")),
}


LOCKED_LOGIN = _l(
    "Too many wrong passwords: log-in to this account is locked for a while. Wait a few minutes "
    "and try again (after many attempts, up to an hour), or ask BKPSDM to unlock it or to give "
    "you a one-time password."
)


def render_error(status: int, message: str | None = None):
    title, default_message = MESSAGES.get(status, MESSAGES[500])
    body = render_template(
        "errors/error.html", status=status, title=title, message=message or default_message
    )
    return body, status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _l("The form has expired or was sent from another site. Reload the page and try again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if request.path.startswith("/healthz"):
            return error
        if request.path.startswith("/api/"):
            # No route matched, so the API blueprint's own handler never saw it: answer in JSON too.
            return jsonify(error=error.description), error.code
        # A view may say what was wrong (abort(400, "…")); werkzeug's own English text is not shown.
        own = error.description if error.description != type(error).description else None
        if error.code == 429 and request.endpoint == "auth.login":
            own = LOCKED_LOGIN
        return render_error(error.code if error.code in MESSAGES else 500, own)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        app.logger.error("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
