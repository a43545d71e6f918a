"""``flask notify remind``, for cron or a systemd timer."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from elearn.extensions import db
from elearn.reminders import due
from elearn.timeutil import utcnow


@click.command("remind")
@with_appcontext
def remind() -> None:
    """Write the reminders that are due (due dates, follow-ups, the weekly digest); run it as
    often as you like: each reminder is written once."""
    written = due.remind(utcnow())
    db.session.commit()
    click.echo(_("%(count)d reminders written", count=sum(written.values())))
    for kind, count in sorted(written.items()):
        click.echo(f"  {kind}: {count}")
