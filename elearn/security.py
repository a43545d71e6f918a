"""Response headers and the log-in gate that every request passes."""
from __future__ import annotations

from flask import Flask, abort, g, request

from elearn.access import require_login
from elearn.accounts import sessions
from elearn.extensions import login_manager
from elearn.i18n import lazy_gettext as _l
from elearn.inputs import plain_int
from elearn.models import User

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    app.before_request(refuse_nul_bytes)
    app.before_request(require_login)

    @app.after_request
    def add_security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def refuse_nul_bytes():
    """No text column can hold a NUL byte (PostgreSQL refuses it outright): a request carrying
    one in its address or form is bad input, answered before any query."""
    values = [request.path, *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += request.form.values()
        # Security fix: an uploaded file's name is stored too (evidence_name); a NUL there was kept.
        values += [upload.filename or "" for _, upload in request.files.items(multi=True)]
    if any("\x00" in value for value in values):
        abort(400)


def load_user(user_id: str) -> User | None:
    """Session ids are ``<id>.<secret>`` of a live log-in session (accounts.sessions)."""
    raw_id, _, secret = user_id.partition(".")
    ident = plain_int(raw_id)
    user = sessions.resume(ident, secret) if ident is not None and secret else None
    if user is None:
        # The cookie named a session that has ended: say so instead of a bare log-in page.
        g.session_ended = True
    return user
