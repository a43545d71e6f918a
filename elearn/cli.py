"""Command line: ``flask --app elearn …`` and the ``elearn`` console script share these commands."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.accounts import imports, operations
from elearn.accounts.nip import NipError
from elearn.accounts.nip import validate as validate_nip
from elearn.accounts.passwords import PasswordError
from elearn.courses.cli import courses_cli
from elearn.data.cli import backup_command, data_cli, restore_command
from elearn.extensions import db
from elearn.models import ROLES, Unit
from elearn.models.users import EMPLOYMENT_TYPES
from elearn.notifications.cli import notify_cli
from elearn.reminders.cli import remind
from elearn.xapi.cli import xapi_cli

users_cli = AppGroup("users", help="Manage accounts.")
units_cli = AppGroup("units", help="Manage the unit tree.")


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)
    raise SystemExit(1)


@users_cli.command("create")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--name", required=True)
@click.option("--nip")
@click.option("--email")
@click.option("--unit", "unit_code", help="Unit code.")
@click.option("--employment-type", default="PNS", type=click.Choice(EMPLOYMENT_TYPES))
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(roles, name, nip, email, unit_code, employment_type, password):
    """Create an account (repeat --role for several roles). Messages follow the default language."""
    unit = None
    try:
        if nip:
            nip = validate_nip(nip, employment_type)
        if unit_code:
            unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
            if unit is None:
                raise operations.AccountError(_("Unknown unit code %(code)s.", code=unit_code))
        user = operations.create_user(
            None, name=name, roles=roles, password=password, nip=nip, email=email, unit=unit,
            employment_type=employment_type,
        )
    except (NipError, PasswordError, operations.AccountError) as exc:
        _fail([f"error: {exc}"])
    db.session.commit()
    click.echo(f"created {user.login_name} ({', '.join(sorted(user.roles))})")


@users_cli.command("reset-password")
@click.argument("login_name")
def reset_password(login_name: str):
    """Give an account (NIP or e-mail) a one-time password, e.g. when the first admin's expired."""
    user = operations.find_by_login_name(login_name)
    if user is None:
        _fail(["error: " + _("No account has the NIP or e-mail %(name)s.", name=login_name)])
    password = operations.reset_password(None, user)
    db.session.commit()
    click.echo(_("One-time password for %(name)s (valid %(hours)s hours, once): %(password)s",
                 name=user.login_name, hours=current_app.config["ONE_TIME_PASSWORD_HOURS"], password=password))


@users_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_users(path: Path):
    """Import or update people from a roster CSV (all rows or none)."""
    _run_import(path, imports.import_roster)


@units_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_units(path: Path):
    """Import or update units from a CSV of kode,nama,induk (all rows or none)."""
    _run_import(path, imports.import_units)


def _run_import(path: Path, run) -> None:
    report = run(None, path.read_bytes())
    if report.errors:
        db.session.rollback()
        _fail([f"{path}:{e.row}: {e.message}" if e.row else f"{path}: {e.message}" for e in report.errors])
    db.session.commit()
    click.echo(f"{path}: {report.created} created, {report.updated} updated")


@click.command("init")
@with_appcontext
def init():
    """Create the first administrator on an empty database and print its one-time password."""
    email = current_app.config["ADMIN_EMAIL"]
    password = operations.ensure_first_admin(email)
    if password is None:
        return
    db.session.commit()
    click.echo("")
    click.echo("  " + _("First administrator created. This password is shown only now:"))
    click.echo("    " + _("log-in: %(email)s", email=email))
    click.echo("    " + _("password: %(password)s", password=password))
    click.echo("  " + _("You will be asked to choose your own password at the first log-in."))
    click.echo("")


def init_app(app: Flask) -> None:
    app.cli.add_command(courses_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(units_cli)
    app.cli.add_command(init)
    app.cli.add_command(xapi_cli)
    notify_cli.add_command(remind)
    app.cli.add_command(notify_cli)
    app.cli.add_command(data_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def main() -> None:
    """The ``elearn`` console script: the same commands without ``--app``."""
    from elearn import create_app

    FlaskGroup(create_app=create_app)()
