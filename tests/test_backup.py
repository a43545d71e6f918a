"""``flask backup`` and ``flask restore``: consistent SQLite copies taken while the app writes."""
from __future__ import annotations

import sqlite3
from contextlib import closing

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


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(app, make_unit, tmp_path, content):
    make_unit("DINKES")
    (tmp_path / "bad.db").write_bytes(content)
    result = run(app, "restore", tmp_path / "bad.db", "--yes")
    assert result.exit_code == 1
    assert "bad.db" in result.output
    assert unit_count(app) == 1


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
