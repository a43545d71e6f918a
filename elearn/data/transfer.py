"""Every table of the database to one file and back, so that an installation can move from
SQLite to PostgreSQL (or between machines) without losing a row.

The file is a zip: ``manifest.json`` (format, Alembic revision, row counts, creation time) and
``tables/<name>.jsonl``, one JSON object per row. Bytes are base64, datetimes ISO 8601 with
their UTC offset, dates ISO, JSON columns plain JSON. The tables are the models' tables: the
export and the import both insist that the database is at the revision this code was written
for, so the models and the schema are the same thing.
"""
from __future__ import annotations

import base64
import json
import os
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    LargeBinary,
    Table,
    bindparam,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import StatementError
from sqlalchemy.types import TypeDecorator

from elearn.data import private
from elearn.extensions import db
from elearn.timeutil import utcnow

FORMAT = "elearn-data"
VERSION = 1
BATCH = 500


class DataFileError(Exception):
    """A reason to refuse an export or an import, in words the operator can act on."""


def code_revision() -> str:
    """The newest migration this code ships: the schema the models describe."""
    return _migrations().get_current_head()


def code_revisions() -> set[str]:
    """Every revision this code ships, the newest and all it upgrades from."""
    return {script.revision for script in _migrations().walk_revisions()}


def _migrations() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def database_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


def check_revision(connection: Connection) -> str:
    revision, expected = database_revision(connection), code_revision()
    if revision is None:
        raise DataFileError(_("The database has no migrations applied: run flask db upgrade first."))
    if revision != expected:
        raise DataFileError(_(
            "The database is at revision %(revision)s but this version of elearn expects %(expected)s: "
            "run flask db upgrade first.", revision=revision, expected=expected,
        ))
    return revision


def export_data(connection: Connection, path: Path) -> dict[str, int]:
    """Write every table to ``path`` (replaced only once complete); return rows per table."""
    revision = check_revision(connection)
    counts: dict[str, int] = {}
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        private.new_file(partial)
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in db.metadata.sorted_tables:
                counts[table.name] = _write_table(connection, table, archive)
            manifest = {
                "format": FORMAT, "version": VERSION, "revision": revision,
                "created_at": utcnow().isoformat(), "dialect": connection.dialect.name, "tables": counts,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _write_table(connection: Connection, table: Table, archive: zipfile.ZipFile) -> int:
    encoders = [(column.name, _encoder(column)) for column in table.columns]
    rows = connection.execution_options(yield_per=BATCH).execute(
        select(table).order_by(*table.primary_key.columns)
    )
    count = 0
    with archive.open(f"tables/{table.name}.jsonl", "w") as out:
        for row in rows:
            values = row._mapping
            record = {name: None if values[name] is None else encode(values[name]) for name, encode in encoders}
            out.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
            count += 1
    return count


def import_data(connection: Connection, path: Path) -> dict[str, int]:
    """Load a file written by :func:`export_data` into an empty database at the same revision,
    in the caller's transaction; return rows per table."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataFileError(_("Not an elearn data file: %(error)s", error=exc)) from exc
    with archive:
        manifest = _read_manifest(archive)
        _check_target(connection, manifest["revision"])
        later: list[tuple[Table, list[dict]]] = []
        loaded: set[str] = set()
        for table in db.metadata.sorted_tables:
            inserted, deferred = _load_table(connection, table, archive, loaded)
            loaded.add(table.name)
            if inserted != manifest["tables"][table.name]:
                raise DataFileError(_(
                    "tables/%(table)s.jsonl holds %(rows)d rows, the manifest says %(expected)s.",
                    table=table.name, rows=inserted, expected=manifest["tables"][table.name],
                ))
            later.append((table, deferred))
        for table, deferred in later:
            _fill_deferred(connection, table, deferred)
        if connection.dialect.name == "postgresql":
            reset_sequences(connection)
    return dict(manifest["tables"])


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DataFileError(_("Not an elearn data file: %(error)s", error=exc)) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise DataFileError(_("Not an elearn data file (format %(format)s).", format=FORMAT))
    tables = manifest.get("tables")
    expected = {table.name for table in db.metadata.sorted_tables}
    if not isinstance(tables, dict) or set(tables) != expected:
        raise DataFileError(_("The file's tables do not match this version of elearn."))
    return manifest


def _check_target(connection: Connection, revision: str) -> None:
    """Only a new database at the file's revision: merging into live data would clash on ids."""
    current = check_revision(connection)
    if revision != current:
        raise DataFileError(_(
            "The file was exported at revision %(file)s, the database is at %(database)s.",
            file=revision, database=current,
        ))
    filled = [
        table.name for table in db.metadata.sorted_tables
        if connection.scalar(select(func.count()).select_from(table))
    ]
    if filled:
        raise DataFileError(_(
            "The database is not empty (%(tables)s): import only into a new, migrated database.",
            tables=", ".join(filled),
        ))


def _load_table(
    connection: Connection, table: Table, archive: zipfile.ZipFile, loaded: set[str]
) -> tuple[int, list[dict]]:
    """Insert the table's rows; foreign keys to this table itself or to one not ``loaded`` yet
    (courses → course_versions) are inserted empty and returned, to be filled once every row exists."""
    later_columns = [
        fk.parent.name for fk in table.foreign_keys if fk.column.table.name not in loaded
    ]
    keys = [column.name for column in table.primary_key.columns]
    deferred: list[dict] = []
    count = 0
    batch: list[dict] = []
    for row in _read_rows(archive, table):
        for name in later_columns:
            if row[name] is not None:
                deferred.append({**{f"_{key}": row[key] for key in keys}, name: row[name]})
                row[name] = None
        batch.append(row)
        count += 1
        if len(batch) == BATCH:
            _execute(connection, table, table.insert(), batch)
            batch = []
    if batch:
        _execute(connection, table, table.insert(), batch)
    return count, deferred


def _execute(connection: Connection, table: Table, statement, rows: list[dict]) -> None:
    try:
        connection.execute(statement, rows)
    except StatementError as exc:
        raise DataFileError(_(
            "tables/%(table)s.jsonl: the database refused the rows: %(error)s",
            table=table.name, error=getattr(exc, "orig", None) or exc,
        )) from exc


def _read_rows(archive: zipfile.ZipFile, table: Table) -> Iterator[dict[str, Any]]:
    decoders = {column.name: _decoder(column) for column in table.columns}
    name = f"tables/{table.name}.jsonl"
    try:
        with archive.open(name) as lines:
            for number, line in enumerate(lines, start=1):
                yield _decode_row(line, decoders, f"{name}:{number}")
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise DataFileError(_("%(file)s: %(error)s", file=name, error=exc)) from exc


def _decode_row(line: bytes, decoders: dict, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
        if not isinstance(record, dict) or set(record) != set(decoders):
            raise ValueError(_("the columns do not match the table"))
        return {name: None if value is None else decoders[name](value) for name, value in record.items()}
    except (ValueError, TypeError) as exc:
        raise DataFileError(f"{where}: {exc}") from exc


def _fill_deferred(connection: Connection, table: Table, rows: list[dict]) -> None:
    columns = sorted({name for row in rows for name in row if not name.startswith("_")})
    for name in columns:
        values = [row for row in rows if name in row]
        where = [column == bindparam(f"_{column.name}") for column in table.primary_key.columns]
        _execute(connection, table, table.update().where(*where).values({name: bindparam(name)}), values)


def reset_sequences(connection: Connection) -> None:
    """Rows came with their ids, so the sequences never moved: start each after the largest id."""
    for table in db.metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        connection.execute(text(
            f'SELECT setval(pg_get_serial_sequence(:table, :column), COALESCE(MAX("{column.name}"), 0) + 1, false) '
            f'FROM "{table.name}"'
        ), {"table": table.name, "column": column.name})


def _encoder(column: Column):
    kind = _kind(column)
    if kind is LargeBinary:
        return lambda value: base64.b64encode(value).decode("ascii")
    if kind in (DateTime, Date):
        return lambda value: value.isoformat()
    return lambda value: value


def _decoder(column: Column):
    kind = _kind(column)
    if kind is LargeBinary:
        return lambda value: base64.b64decode(value, validate=True)
    if kind is DateTime:
        return _aware_datetime
    if kind is Date:
        return date.fromisoformat
    return lambda value: value


def _kind(column: Column) -> type | None:
    """The column's storage family, seen through our own types (UTCDateTime is a DateTime)."""
    storage = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    return next((kind for kind in (LargeBinary, DateTime, Date) if isinstance(storage, kind)), None)


def _aware_datetime(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(_("datetime without a UTC offset: %(value)s", value=value))
    return parsed
