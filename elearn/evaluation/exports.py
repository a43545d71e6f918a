"""Evaluation figures as CSV, written like the reports' files: UTF-8 with a byte-order mark so
Excel reads it right, Indonesian headers, streamed in chunks as rows are read."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from elearn.spreadsheet import FORMULA_STARTS

CHUNK_ROWS = 500


def csv_chunks(headers: Sequence[str], rows: Iterable[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for number, values in enumerate(rows, start=1):
        writer.writerow([_inert(value) for value in values])
        if number % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _inert(value):
    """What learners typed must not run as a formula on HR's computer."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
