"""``flask notify send``, for cron or a systemd timer; ``flask notify remind`` joins the group
from the reminders package."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from elearn.notifications import mail

notify_cli = AppGroup("notify", help="Reminders and e-mail of notifications.")


@notify_cli.command("send")
def send() -> None:
    """Send the e-mails that are due; exit 1 when one failed (it is tried again later)."""
    smtp = mail.Smtp.from_config(current_app.config)
    if smtp is None:
        click.echo(_("No SMTP server is configured (ELEARN_SMTP_HOST is empty): notifications stay in the app."))
        return
    report = mail.send_due(smtp, current_app.config["MAIL_MAX_ATTEMPTS"])
    click.echo(_("%(sent)d sent, %(failed)d failed (tried again later), %(gave_up)d given up, %(waiting)d waiting",
                 sent=report.sent, failed=report.failed, gave_up=report.gave_up, waiting=report.waiting))
    if report.failed or report.gave_up:
        raise SystemExit(1)
