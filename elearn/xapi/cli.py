"""``flask xapi push``: deliver completions to the LRS; meant to run from cron or a timer."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from elearn.timeutil import utcnow
from elearn.xapi import delivery

xapi_cli = AppGroup("xapi", help="Report completions to a Learning Record Store (xAPI 1.0.3).")


@xapi_cli.command("push")
def push() -> None:
    """Send the statements that are due; exit 1 when a delivery failed (it is retried later)."""
    lrs = delivery.Lrs.from_config(current_app.config)
    if lrs is None:
        click.echo(_("No LRS is configured (ELEARN_XAPI_LRS_URL is empty): nothing was sent."))
        return
    report = delivery.push(utcnow(), lrs, current_app.config["BASE_URL"])
    click.echo(_("%(sent)d sent, %(failed)d failed, %(waiting)d waiting",
                 sent=report.sent, failed=report.failed, waiting=report.waiting))
    if report.failed:
        raise SystemExit(1)
