"""The export benchmark still fills a database the app accepts and downloads every row: a schema
change that breaks its bulk insert fails here, not half an hour into `make bench`. No timing is
checked (that is the benchmark's job)."""
from bench import exports


def test_the_export_benchmark_downloads_every_row_it_filled():
    figures = exports.measure(2_000)
    assert figures["csv_lines"] == 2_000 + 1  # the header, then one line per enrolment
    assert figures["xlsx_mb"] > 0
