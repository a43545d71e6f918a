"""Who may open what. Every view needs a log-in unless it is marked public here; who may
write a course is decided here too, for the editor and for the pages that link to it."""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, flash, g, jsonify, redirect, request, url_for
from flask_login import current_user, login_url, logout_user

from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.models import Course, CourseDraft, CourseTrainer, User

PUBLIC_ENDPOINTS = {"static"}
AUTHOR_ROLES = ("trainer", "admin")


def public(view):
    """Open a view to everyone, signed in or not."""
    view.is_public = True
    return view


def fully_signed_in() -> bool:
    """Signed in, and not held at the page that replaces a one-time password."""
    return current_user.is_authenticated and not current_user.must_change_password


def script_login_required(view):
    """For views that a page's script calls: a person who is not signed in (their session
    ended while they were offline) gets a 401 in JSON that the script can act on, not the
    log-in page's HTML."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not fully_signed_in():
            return jsonify(error=_("Your session has ended. Please log in again.")), 401
        return view(*args, **kwargs)

    return public(wrapper)


def roles_required(*roles: str):
    """Let in only users holding at least one of these roles; others get a 403 page."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_roles = roles
        return wrapper

    return decorate


def may_edit(user: User, course: Course | None, draft: CourseDraft | None = None) -> bool:
    """Admins may write every course, trainers the courses they are trainers of; a draft of a
    course not yet published is its creator's."""
    if user.has_role("admin"):
        return True
    if not user.has_role("trainer"):
        return False
    if course is not None:
        return db.session.get(CourseTrainer, (course.id, user.id)) is not None
    return draft is not None and draft.created_by_id == user.id


def is_public(endpoint: str | None) -> bool:
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def require_login():
    """before_request hook: send anonymous users to log in, and users with a one-time
    password to the page that replaces it."""
    if is_public(request.endpoint):
        return None
    if not current_user.is_authenticated:
        if g.get("session_ended"):
            logout_user()
            flash(_("Your session has ended: you logged out, were away too long, or your "
                    "password was changed. Please log in again."), "info")
            return redirect(login_url(current_app.login_manager.login_view, next_url=request.url))
        return current_app.login_manager.unauthorized()
    if current_user.must_change_password and request.endpoint not in {
        "auth.change_password",
        "auth.logout",
    }:
        return redirect(url_for("auth.change_password"))
    return None
