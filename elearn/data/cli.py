"""``flask data export|import`` (any database) and ``flask backup|restore`` (SQLite)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _

from elearn.data import backup as backups
from elearn.data import transfer
from elearn.extensions import db

data_cli = AppGroup("data", help="Move every table to another database through one file.")


@data_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_command(path: Path) -> None:
    """Write every table to PATH (a zip of JSON lines), as they are at one moment."""
    with db.engine.connect() as connection:
        # One snapshot of every table even while the application writes: REPEATABLE READ on
        # PostgreSQL; on SQLite an explicit BEGIN, since the driver opens no transaction to read.
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        else:
            connection.exec_driver_sql("BEGIN")
        try:
            counts = transfer.export_data(connection, path)
        except transfer.DataFileError as exc:
            _fail(f"{path}: {exc}")
    click.echo(_("%(file)s: %(rows)d rows from %(tables)d tables",
                 file=path, rows=sum(counts.values()), tables=len(counts)))


@data_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Load PATH into this empty, migrated database, in one transaction (all rows or none)."""
    try:
        with db.engine.begin() as connection:
            counts = transfer.import_data(connection, path)
    except transfer.DataFileError as exc:
        _fail(f"{path}: {exc}")
    click.echo(_("%(file)s: %(rows)d rows into %(tables)d tables",
                 file=path, rows=sum(counts.values()), tables=len(counts)))


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path | None) -> None:
    """Copy the SQLite database while the application serves (default: instance/backups/).
    On PostgreSQL, print the pg_dump recipe instead."""
    database = _sqlite_database()
    if database is None:
        click.echo(_pg_recipe())
        return
    target = path or backups.default_path(_backup_folder())
    try:
        backups.backup(database, target)
    except backups.BackupError as exc:
        _fail(str(exc))
    click.echo(_("Backup written to %(file)s", file=target))


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup PATH; the current data is backed up first."""
    database = _sqlite_database()
    if database is None:
        click.echo(_pg_recipe())
        _fail(_("flask restore works on SQLite only: nothing was restored."))
    if not yes:
        click.confirm(_("Replace every row of %(database)s with %(file)s?", database=database, file=path),
                      abort=True)
    safety = backups.default_path(_backup_folder(), "-before-restore")
    try:
        revision = backups.restore(path, database, safety)
    except backups.BackupError as exc:
        _fail(str(exc))
    click.echo(_("Restored %(file)s (revision %(revision)s); the previous data is in %(safety)s. "
                 "Run flask db upgrade if this version of elearn is newer than the backup.",
                 file=path, revision=revision, safety=safety))


def _sqlite_database() -> Path | None:
    url = db.engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" else None


def _backup_folder() -> Path:
    return Path(current_app.instance_path) / "backups"


def _pg_recipe() -> str:
    # pg_dump speaks libpq URLs, without SQLAlchemy's "+psycopg".
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=True)
    return _(
        "PostgreSQL is backed up with its own tools (give the password through PGPASSWORD or ~/.pgpass):\n"
        "  pg_dump --format=custom --file=elearn-$(date -u +%%Y%%m%%dT%%H%%M%%SZ).dump '%(url)s'\n"
        "and restored into an empty database with:\n"
        "  pg_restore --no-owner --exit-on-error --single-transaction --dbname='%(url)s' FILE.dump",
        url=url,
    )


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(1)
