"""Apps on SQLite files of their own, whatever database the suite runs on: the source of a
move to PostgreSQL, and the only kind of database ``flask backup`` copies."""
from __future__ import annotations

import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Self

from flask import Flask
from flask_migrate import upgrade

from elearn import create_app
from elearn.extensions import db
from tests.conftest import _test_config


def migrated_template(folder: Path) -> Path:
    """An empty database at the newest revision, migrated once and then copied (fast)."""
    path = folder / "template.db"
    app = create_app(_test_config(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


def app_on(url: str) -> Flask:
    """An app on the database at ``url`` whose command line speaks English."""
    return create_app(_test_config(url, BABEL_DEFAULT_LOCALE="en"))


def sqlite_app(template: Path, path: Path) -> Flask:
    """A new, empty, migrated SQLite database at ``path`` and an app on it."""
    shutil.copyfile(template, path)
    return app_on(f"sqlite:///{path}")


def close(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class Writer(threading.Thread):
    """Another worker creating units, each with its audit event in the same transaction, from
    the moment the ``with`` block opens (after 50 units) until it closes. A consistent copy
    holds as many of one as of the other."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.written = 0
        self.stop = threading.Event()

    def __enter__(self) -> Self:
        self.start()
        while self.written < 50:
            threading.Event().wait(0.01)
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        self.join()

    def run(self) -> None:
        with closing(sqlite3.connect(self.path, timeout=10)) as connection:
            while not self.stop.is_set():
                with connection:
                    code = f"W{self.written}"
                    connection.execute("INSERT INTO units (code, name) VALUES (?, ?)", (code, f"Unit {code}"))
                    connection.execute(
                        "INSERT INTO audit_events (at, action, target_type, target_id, details) "
                        "VALUES (datetime('now'), 'unit.create', 'unit', ?, '{}')", (code,))
                self.written += 1
