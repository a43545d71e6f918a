"""The person's own notifications: the list, marking read, and what they receive by e-mail."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.models import Notification
from elearn.notifications import inbox, operations
from elearn.notifications.kinds import KINDS
from elearn.notifications.messages import SETTINGS_PATH, words
from elearn.timeutil import utcnow

bp = Blueprint("notifications", __name__)

PER_PAGE = 50


@bp.get("/me/notifications")
def index():
    page = max(1, request.args.get("page", 1, type=int))
    notifications = db.session.scalars(
        select(Notification).where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)
    ).all()
    shown = [(notification, words(notification)) for notification in notifications[:PER_PAGE]]
    return render_template("notifications/index.html", shown=shown, page=page,
                           more=len(notifications) > PER_PAGE, mail=inbox.mail_configured())


@bp.post("/me/notifications/read")
def read_all():
    operations.mark_read(current_user, utcnow())
    db.session.commit()
    flash(_("All notifications are marked read."), "success")
    return redirect(url_for("notifications.index"))


@bp.post("/me/notifications/<int:notification_id>/open")
def open_(notification_id: int):
    """Mark it read and go where it points."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    operations.mark_read(current_user, utcnow(), notification.id)
    db.session.commit()
    return redirect(notification.link)


@bp.route(SETTINGS_PATH, methods=["GET", "POST"])
def settings():
    if request.method == "POST":
        wanted = set(request.form.getlist("kind")) & set(KINDS)
        operations.choose_mail(current_user, wanted)
        db.session.commit()
        flash(_("Your e-mail choices have been saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", choices=inbox.mail_choices(current_user),
                           kinds=KINDS, mail=inbox.mail_configured(), email=current_user.email)


@bp.app_context_processor
def unread():
    """The bell's count, asked only by pages that show the bell."""
    def unread_notifications() -> int:
        return inbox.unread_count(current_user.id) if current_user.is_authenticated else 0
    return {"unread_notifications": unread_notifications}
