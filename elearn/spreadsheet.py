"""What every CSV file elearn writes has in common: it will be opened in a spreadsheet."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

# A spreadsheet runs a cell that starts like this as a formula: a training title typed by
# anyone must not be able to do that on HR's computer. The fullwidth forms (＝ ＋ － ＠, typed by
# East Asian keyboards) count too: a spreadsheet may fold them to their ASCII forms.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CHUNK_ROWS = 500


def safe_row(values: Iterable) -> list:
    """The row with every text cell that a spreadsheet would run made plain text. One call per
    row, not per cell: a million-row export has twelve million cells."""
    return ["'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
            for value in values]


def csv_lines(header: Sequence[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """A CSV file a chunk of rows at a time: UTF-8 with a byte-order mark, so that Excel in
    Indonesia opens it as it is, and every text cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # Security fix: headers can carry typed text too (the needs matrix names a column per competency tag).
    writer.writerow(safe_row(header))
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(rows, start=1):
        writer.writerow(safe_row(row))
        if number % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
