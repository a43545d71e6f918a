"""Consistent copies of a SQLite database while the application serves, and their restoration.

Both directions use SQLite's online backup API rather than copying files: it reads one
snapshot under SQLite's own locking (WAL lets the workers keep writing meanwhile), and writing
into the live database happens in one transaction that every worker sees at once. Copying or
replacing ``elearn.db`` underneath running workers would pair it with a stale ``-wal`` file.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from flask_babel import gettext as _

from elearn.data import private
from elearn.data.transfer import code_revisions
from elearn.timeutil import utcnow


class BackupError(Exception):
    """Why a backup or a restore was refused, for the operator."""


def default_path(backups: Path, label: str = "") -> Path:
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    return backups / f"elearn-{stamp}{label}.db"


def backup(database: Path, target: Path) -> None:
    """Copy ``database`` to ``target`` as one self-contained file, checked before it is kept."""
    if not database.is_file():
        # sqlite3.connect would create it, and the backup of nothing would look like a success.
        raise BackupError(_("%(file)s: no such file.", file=database))
    private.folder(target.parent)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        # SQLite writes into the empty file it finds, keeping its owner-only mode.
        private.new_file(partial)
        with closing(sqlite3.connect(database, timeout=30)) as source, closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)
            # A copy in rollback-journal mode is one file: it can be moved, mailed or opened read-only.
            copy.execute("PRAGMA journal_mode=DELETE")
            _check(copy, partial)
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(_("%(file)s: the backup failed: %(error)s", file=target, error=exc)) from exc
    finally:
        partial.unlink(missing_ok=True)


def restore(copy: Path, database: Path, safety: Path) -> str:
    """Write the backup ``copy`` over ``database``, once the copy has proved to be a whole elearn
    database this code can run and ``database`` itself is backed up to ``safety``; return the
    Alembic revision the copy holds. A refused copy leaves no file behind."""
    if not copy.is_file():
        raise BackupError(_("%(file)s: no such file.", file=copy))
    with _reading(copy) as source:
        revision = _verified_revision(source, copy)
        backup(database, safety)
        try:
            with closing(sqlite3.connect(database, timeout=30)) as live:
                source.backup(live)
        except sqlite3.Error as exc:
            raise BackupError(_("%(file)s: the restore failed: %(error)s", file=database, error=exc)) from exc
    return revision


@contextmanager
def _reading(copy: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to ``copy`` that leaves no file beside it: SQLite creates the -wal
    and -shm files of a copy in WAL mode even to read it, and only a writer would remove them."""
    created = [path for path in (copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm"))
               if not path.exists()]
    try:
        with closing(sqlite3.connect(copy.resolve().as_uri() + "?mode=ro", uri=True)) as connection:
            yield connection
    finally:
        for path in created:
            path.unlink(missing_ok=True)


def _check(connection: sqlite3.Connection, path: Path) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(_("%(file)s: integrity check failed: %(error)s", file=path, error=result))


def _verified_revision(connection: sqlite3.Connection, path: Path) -> str:
    """The copy's Alembic revision, once it has proved to be a whole elearn database."""
    try:
        _check(connection, path)
        migrated = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone() if migrated else None
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("%(file)s: not a usable SQLite database: %(error)s", file=path, error=exc)) from exc
    if row is None:
        raise BackupError(_("%(file)s: not an elearn database.", file=path))
    if row[0] not in code_revisions():
        # Older revisions are upgraded after the restore; a newer one has tables this code cannot run.
        raise BackupError(_("%(file)s: made by a newer version of elearn (revision %(revision)s): "
                            "nothing was restored.", file=path, revision=row[0]))
    return row[0]
