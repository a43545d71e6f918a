"""``flask backup`` and ``flask restore``: consistent SQLite copies taken while the app writes."""
from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing, contextmanager

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import Unit
from tests import sqlitecopy


@pytest.fixture(scope="module")
def template(tmp_path_factory, instance_path):
    return sqlitecopy.migrated_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def app(template, tmp_path):
    """Backups are for SQLite: this app has a file of its own whatever the suite runs on."""
    app = sqlitecopy.sqlite_app(template, tmp_path / "elearn.db")
    yield app
    sqlitecopy.close(app)


def run(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=[str(arg) for arg in args], **kwargs)


def database_of(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")


def query(path, sql: str):
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return connection.execute(sql).fetchone()[0]


def unit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Unit))


def test_a_backup_taken_while_another_worker_writes_is_consistent(app, template, make_unit, tmp_path):
    make_unit("DINKES", "Dinas Kesehatan")
    with sqlitecopy.Writer(database_of(app)) as writer:
        result = run(app, "backup", tmp_path / "copy.db")
    assert result.exit_code == 0, result.output
    copy = tmp_path / "copy.db"
    assert query(copy, "PRAGMA integrity_check") == "ok"
    assert query(copy, "PRAGMA journal_mode") == "delete"
    written = query(copy, "SELECT count(*) FROM units WHERE code LIKE 'W%'")
    assert query(copy, "SELECT count(*) FROM audit_events WHERE target_id LIKE 'W%'") == written
    assert 50 <= written <= writer.written
    assert query(copy, "SELECT code FROM units WHERE code = 'DINKES'") == "DINKES"
    assert not list(tmp_path.glob("*.part"))

    other = sqlitecopy.sqlite_app(template, tmp_path / "other.db")
    try:
        restored = run(other, "restore", copy, "--yes")
        assert restored.exit_code == 0, restored.output
        assert unit_count(other) == written + 1
        assert query(tmp_path / "other.db", "PRAGMA integrity_check") == "ok"
        assert other.test_client().get("/healthz").status_code == 200
    finally:
        sqlitecopy.close(other)


def test_backup_without_a_name_goes_to_the_instance_folder(app, instance_path):
    result = run(app, "backup")
    assert result.exit_code == 0, result.output
    written = result.output.strip().rsplit(" ", 1)[1]
    assert written.startswith(str(instance_path / "backups" / "elearn-")) and written.endswith("Z.db")
    assert query(written, "PRAGMA integrity_check") == "ok"


def test_restore_asks_first_and_keeps_the_data_it_replaces(app, make_unit, tmp_path):
    make_unit("DINKES")
    assert run(app, "backup", tmp_path / "one-unit.db").exit_code == 0
    make_unit("DISDIK")

    declined = run(app, "restore", tmp_path / "one-unit.db", input="n\n")
    assert declined.exit_code == 1 and unit_count(app) == 2

    accepted = run(app, "restore", tmp_path / "one-unit.db", input="y\n")
    assert accepted.exit_code == 0, accepted.output
    with app.app_context():
        assert db.session.scalars(select(Unit.code)).all() == ["DINKES"]
    safety = accepted.output.split("previous data is in ")[1].split(". ")[0]
    assert query(safety, "SELECT count(*) FROM units") == 2


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextmanager
def umask(mask: int):
    """A process umask that would let the group in: backups must not depend on the operator's."""
    before = os.umask(mask)
    try:
        yield
    finally:
        os.umask(before)


def test_a_backup_and_the_folders_it_creates_are_for_the_owner_only(app, tmp_path):
    target = tmp_path / "arsip" / "2026" / "copy.db"
    with umask(0o002):
        result = run(app, "backup", target)
    assert result.exit_code == 0, result.output
    assert mode_of(target) == 0o600
    assert mode_of(tmp_path / "arsip") == 0o700 and mode_of(tmp_path / "arsip" / "2026") == 0o700
    assert query(target, "PRAGMA integrity_check") == "ok"


def test_a_backup_into_an_existing_folder_leaves_the_folder_as_it_was(app, tmp_path):
    shared = tmp_path / "bersama"
    shared.mkdir()
    shared.chmod(0o750)
    with umask(0o002):
        assert run(app, "backup", shared / "copy.db").exit_code == 0
    assert mode_of(shared) == 0o750
    assert mode_of(shared / "copy.db") == 0o600


def test_the_backup_taken_before_a_restore_is_for_the_owner_only(app, tmp_path):
    assert run(app, "backup", tmp_path / "copy.db").exit_code == 0
    with umask(0o002):
        restored = run(app, "restore", tmp_path / "copy.db", "--yes")
    assert restored.exit_code == 0, restored.output
    safety = restored.output.split("previous data is in ")[1].split(". ")[0]
    assert mode_of(safety) == 0o600


def dump(path) -> list[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return list(connection.iterdump())


def files_under(*folders) -> set:
    """Every file and folder under ``folders``, with what tells a rewritten one from the one before
    (backup names are stamped to the second, so a new file can take an old one's name)."""
    return {(path, path.stat().st_ino, path.stat().st_mtime_ns)
            for folder in folders if folder.exists() for path in folder.rglob("*")}


def _newer_backup(app, path):
    assert run(app, "backup", path).exit_code == 0
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")


def _newer_backup_in_wal_mode(app, path):
    _newer_backup(app, path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def _foreign_database(app, path):
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")


def _damaged_backup(app, path):
    assert run(app, "backup", path).exit_code == 0
    data = bytearray(path.read_bytes())
    data[len(data) // 2:] = bytes(len(data) - len(data) // 2)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("make_bad, message", [
    (lambda app, path: path.write_bytes(b""), "not an elearn database"),
    (lambda app, path: path.write_bytes(b"not a database at all" * 100), "not a usable SQLite database"),
    (_foreign_database, "not an elearn database"),
    (_damaged_backup, "bad.db"),
    (_newer_backup, "newer version of elearn (revision ffffffffffff)"),
    (_newer_backup_in_wal_mode, "newer version of elearn (revision ffffffffffff)"),
], ids=["empty", "not sqlite", "not elearn", "damaged", "newer version", "newer version in wal mode"])
def test_a_refused_restore_leaves_the_database_and_the_folders_as_they_were(
        app, make_unit, tmp_path, instance_path, make_bad, message):
    make_unit("DINKES")
    bad = tmp_path / "bad.db"
    make_bad(app, bad)
    before = dump(database_of(app))
    files = files_under(tmp_path, instance_path / "backups")
    result = run(app, "restore", bad, "--yes")
    assert result.exit_code == 1
    assert "bad.db" in result.output and message in result.output
    assert dump(database_of(app)) == before
    assert files_under(tmp_path, instance_path / "backups") == files


def test_restore_refuses_a_missing_file(app, tmp_path):
    result = run(app, "restore", tmp_path / "nowhere.db", "--yes")
    assert result.exit_code == 1 and "no such file" in result.output


def test_on_postgresql_backup_prints_the_pg_dump_recipe(instance_path):
    app = sqlitecopy.app_on("postgresql://elearn:geheim@db.example/elearn")
    result = run(app, "backup")
    assert result.exit_code == 0
    assert "pg_dump --format=custom" in result.output and "pg_restore" in result.output
    assert "postgresql://elearn:***@db.example/elearn" in result.output and "geheim" not in result.output
    refused = run(app, "restore", "x.dump", "--yes")
    assert refused.exit_code == 1 and "pg_restore" in refused.output
