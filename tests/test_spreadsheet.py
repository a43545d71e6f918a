"""The one CSV writer (elearn/spreadsheet.py): whole files at every chunk boundary, every text
cell that a spreadsheet would run made plain text, the header included."""
import csv
import io

import pytest

from elearn.spreadsheet import CHUNK_ROWS, csv_lines


def read(chunks: list[str]) -> list[list[str]]:
    text = "".join(chunks)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_a_csv_file_is_whole_at_every_chunk_boundary():
    for count in (0, 1, CHUNK_ROWS - 1, CHUNK_ROWS, CHUNK_ROWS + 1, 2 * CHUNK_ROWS):
        chunks = list(csv_lines(["nama", "jp"], ([f"Pegawai {n}", n] for n in range(count))))
        assert all(chunks), count
        assert read(chunks) == [["nama", "jp"], *[[f"Pegawai {n}", str(n)] for n in range(count)]]


def test_formulas_stay_text_in_the_header_and_the_cells():
    rows = read(list(csv_lines(["nama", "=SUM(A1)"], [["@cmd", -2], ["-1+1", None], ["Siti", 3.5]])))
    assert rows == [["nama", "'=SUM(A1)"], ["'@cmd", "-2"], ["'-1+1", ""], ["Siti", "3.5"]]


@pytest.mark.parametrize("start", ["\uff1d", "\uff0b", "\uff0d", "\uff20", "\t", "\r"])
def test_fullwidth_and_blank_formula_starts_stay_text(start):
    rows = read(list(csv_lines(["nama"], [[f"{start}SUM(A1)"], [f"Siti {start}"]])))
    assert rows == [["nama"], [f"'{start}SUM(A1)"], [f"Siti {start}"]]
