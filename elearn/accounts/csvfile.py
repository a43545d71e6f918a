"""Reading the CSV files HR staff save from Excel. Pure: bytes in, named rows out.

Excel in Indonesia writes semicolons, elsewhere commas; it may add a BOM, CRLF line ends,
empty rows and trailing empty columns. All of that is accepted. Anything that makes the
whole file unreadable raises CsvError, so that no row is ever half understood.
"""
from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _

WHOLE_FILE = 0

Record = tuple[int, list[str]]


class CsvError(ValueError):
    """Problems with the file as a whole: each is (row, message); row 0 is the whole file."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [message for _row, message in self.problems]


def read_table(
    data: bytes, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> list[tuple[int, dict[str, str]]]:
    """The data rows as (row number, {column: trimmed cell}), numbered as a spreadsheet shows them.

    The header is matched case-insensitively; an optional column that is absent reads as "".
    """
    records = _records(_decode(data))
    if not records:
        raise CsvError([(WHOLE_FILE, _("The file is empty."))])
    (header_row, header), body = records[0], records[1:]
    columns = _columns(header_row, header, required, optional)
    if not body:
        raise CsvError([(WHOLE_FILE, _("The file has a header row but no data rows."))])
    _check_unnamed_cells(body, set(columns.values()))
    return [
        (row, {name: _cell(cells, columns.get(name)) for name in required + optional})
        for row, cells in body
    ]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvError([(WHOLE_FILE, _(
            "The file is not UTF-8 text. In Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”."
        ))]) from None


def _records(text: str) -> list[Record]:
    """Non-blank records with trimmed cells; a quoted cell may span lines but stays one row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records: list[Record] = []
    try:
        for row, cells in enumerate(reader, start=1):
            cells = [cell.strip() for cell in cells]
            if any(cells):
                records.append((row, cells))
    except csv.Error as exc:
        raise CsvError([(WHOLE_FILE, _("The file cannot be read as CSV: %(reason)s", reason=str(exc)))]) from None
    return records


def _delimiter(text: str) -> str:
    """Decided by the header line alone, since a data cell may hold either character."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def _columns(
    header_row: int, header: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> dict[str, int]:
    """Column name → index; blank header cells (Excel's trailing columns) are left out."""
    columns: dict[str, int] = {}
    problems: list[tuple[int, str]] = []
    for index, cell in enumerate(header):
        name = re.sub(r"\s+", "_", cell.lower())
        if not name:
            continue
        if name in columns:
            problems.append((header_row, _("The column %(name)s appears more than once.", name=name)))
        columns.setdefault(name, index)
    allowed = ", ".join(required + optional)
    unknown = [name for name in columns if name not in required + optional]
    missing = [name for name in required if name not in columns]
    if unknown:
        problems.append((header_row, _(
            "Unknown columns: %(names)s. The columns are: %(allowed)s.", names=", ".join(unknown), allowed=allowed
        )))
    if missing:
        problems.append((header_row, _(
            "Missing columns: %(names)s. The first row must name the columns: %(allowed)s.",
            names=", ".join(missing), allowed=allowed,
        )))
    if problems:
        raise CsvError(problems)
    return columns


def _check_unnamed_cells(body: list[Record], named: set[int]) -> None:
    """A value under no column name would otherwise be dropped without anyone noticing."""
    problems = [
        (row, _("There is a value in column %(column)s, which has no name in the header row.",
                column=_column_letter(index)))
        for row, cells in body
        for index, cell in enumerate(cells)
        if cell and index not in named
    ]
    if problems:
        raise CsvError(problems)


def _column_letter(index: int) -> str:
    """The column as Excel labels it: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""
