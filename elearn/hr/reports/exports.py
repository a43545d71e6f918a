"""Reports as files: CSV streamed as it is read, XLSX built in a temporary file. Neither
holds all rows in memory, so a million-row export needs no more memory than a small one."""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from itertools import chain
from typing import IO

import xlsxwriter
from sqlalchemy import Select, func, select

from elearn.extensions import db
from elearn.hr.reports.catalogue import Report
from elearn.spreadsheet import csv_lines
from elearn.timeutil import local_date

BATCH = 2000
XLSX_MAX_ROWS = 1_048_576
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Files speak Indonesian like their headers, whatever language the screen is in.
STATUS_WORDS = {"met": "tercapai", "behind": "belum tercapai"}


class TooManyRows(ValueError):
    pass


def _rounded(places: int) -> Callable:
    """Rounded for people, and whole numbers without a decimal point ("16", not "16.0")."""

    def convert(value):
        rounded = round(float(value), places)
        return int(rounded) if rounded.is_integer() else rounded

    return convert


_CONVERTERS: dict[str, Callable] = {
    "date": local_date,
    "number": _rounded(2),
    "percent": _rounded(1),
    "status": STATUS_WORDS.get,
}


def _file_rows(report: Report, stmt: Select) -> Iterator[list[list]]:
    """The rows in batches, dates as the city's dates and numbers rounded for people, in one pass
    over each row's cells (at a million rows, most of an export's time). Read through the
    session's connection: plain rows, without the ORM's handling of each."""
    plan = [_CONVERTERS.get(column.kind) for column in report.columns]
    for batch in db.session.connection().execute(stmt.execution_options(yield_per=BATCH)).partitions():
        yield [[value if convert is None or value is None else convert(value)
                for convert, value in zip(plan, row, strict=True)] for row in batch]


def csv_chunks(report: Report, stmt: Select) -> Iterator[str]:
    """The report as a CSV file, streamed a chunk of rows at a time as they are read."""
    return csv_lines(report.headers, chain.from_iterable(_file_rows(report, stmt)))


def xlsx_file(report: Report, stmt: Select) -> IO[bytes]:
    """The report as a workbook in an anonymous temporary file, which disappears when closed.

    Too many rows for a sheet are found out before writing, not after a minute of it."""
    rows = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    if rows >= XLSX_MAX_ROWS:
        raise TooManyRows(rows)
    target = tempfile.TemporaryFile()  # noqa: SIM115  (the response that sends it closes it)
    try:
        # xlsxwriter's own scratch files go here, so they go away even when writing fails.
        with tempfile.TemporaryDirectory(prefix="elearn-xlsx-") as workspace:
            _write_workbook(report, stmt, target, workspace)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def _write_workbook(report: Report, stmt: Select, target: IO[bytes], workspace: str) -> None:
    workbook = xlsxwriter.Workbook(target, {
        "constant_memory": True,
        "tmpdir": workspace,
        "default_date_format": "yyyy-mm-dd",
        # Text is text: no formulas or links made from what people typed.
        "strings_to_formulas": False,
        "strings_to_urls": False,
    })
    sheet = workbook.add_worksheet(report.file_stem)
    sheet.write_row(0, 0, report.headers, workbook.add_format({"bold": True}))
    sheet.freeze_panes(1, 0)
    last = 0
    for rows in _file_rows(report, stmt):
        for values in rows:
            last += 1
            sheet.write_row(last, 0, values)
    sheet.autofilter(0, 0, last, len(report.columns) - 1)
    workbook.close()
