"""The whole benchmark (`make bench`): serving on SQLite and PostgreSQL at each scale, course
import, exports, the certificate; prints every figure with its target and writes the results
into docs/performance.md between its two markers, with the machine and the date.

Run: .venv/bin/python bench/run.py [--scales 1 2 4] [--seconds 10] [--postgres URL] [--no-write]
PostgreSQL is the local server unless told otherwise (ELEARN_BENCH_POSTGRES or --postgres);
a throw-away database is created on it and dropped afterwards.
"""
from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import exports  # noqa: E402
import import_courses  # noqa: E402
import learning_pages  # noqa: E402
import serving  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
REPORT_TARGET_MS = 300


def machine() -> dict:
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal:"))
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine())
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0].strip()
    return {"cores": os.cpu_count(), "memory_gib": memory_kb / 1024 ** 2, "cpu": model,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "wrk": wrk}


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]


def ms(microseconds: int) -> str:
    return f"{microseconds / 1000:.1f}"


def serving_table(run: dict) -> list[str]:
    hello = run["hello"]
    lines = [
        f"**{run['database']}**, seeded data ×{run['scale']:g}; hello-world {hello['rps']:,.0f} req/s "
        f"(before {hello['before']['rps']:,.0f}, after {hello['after']['rps']:,.0f}; "
        f"p50 {ms(hello['before']['p50_us'])} ms, p99 {ms(hello['before']['p99_us'])} ms)",
        "",
        "| endpoint | req/s (wrk) | p50 ms | p99 ms | ratio to hello-world | open-loop req/s | p50 ms | p95 ms | "
        "p99 ms | target | errors | result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    for endpoint in serving.ENDPOINTS + serving.FLOORS:
        figures = run["endpoints"][endpoint.name]
        target = []
        if endpoint.target_ratio is not None:
            target.append(f"≥ {endpoint.target_ratio:.2f}")
        if endpoint.target_p99_ms is not None:
            target.append(f"p99 < {endpoint.target_p99_ms:.0f} ms")
        if endpoint.target_open_p99_ms is not None:
            target.append(f"open-loop p99 < {endpoint.target_open_p99_ms:.0f} ms")
        open_loop = figures["open"]
        lines.append(
            f"| `{endpoint.shown}` | {figures['rps']:,.0f} | {ms(figures['p50_us'])} | {ms(figures['p99_us'])} | "
            f"{figures['ratio']:.2f} | {open_loop['rate']:,.0f} | {open_loop['p50_ms']:.1f} | {open_loop['p95_ms']:.1f} | "
            f"{open_loop['p99_ms']:.1f} | {', '.join(target) or '—'} | {figures['errors'] + open_loop['errors']} | "
            f"{serving.verdict(endpoint, figures)} |")
    lines.append("")
    return lines


def growth_table(runs: list[dict]) -> list[str]:
    names = [endpoint.name for endpoint in serving.ENDPOINTS]
    lines = [
        "| database | scale | ASN | seed s | size MB | " + " | ".join(f"{name} req/s" for name in names)
        + " | report page ms |",
        "|---|---:|---:|---:|---:|" + "---:|" * len(names) + "---:|",
    ]
    for run in runs:
        lines.append(
            f"| {run['database']} | ×{run['scale']:g} | {run['counts']['users']:,} | {run['seed_seconds']:.1f} | "
            f"{run['size']['total_mb']:,.0f} | " + " | ".join(f"{run['endpoints'][name]['rps']:,.0f}" for name in names)
            + f" | {run['report_ms']:.0f} |")
    lines.append("")
    for run in runs:
        if run["scale"] == max(r["scale"] for r in runs):
            lines.append(f"Largest on {run['database']} at ×{run['scale']:g}: " + ", ".join(
                f"{name} {mb:,.0f} MB" for name, mb in run["size"]["tables"].items()) + ".")
    return lines


def results(args, facts: dict, runs: list[dict], other: dict) -> str:
    seed = next(run for run in runs if run["database"] == "sqlite" and run["scale"] == 1)
    lines = [
        START,
        f"Measured on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on {facts['cores']} cores "
        f"({facts['cpu']}), {facts['memory_gib']:.1f} GiB; Python {facts['python']}, SQLite {facts['sqlite']}, "
        f"PostgreSQL {facts['postgres']}, {facts['wrk']}. gunicorn {serving.WORKERS} sync workers, wrk "
        f"{serving.THREADS} threads and {serving.CONNECTIONS} connections, {args.seconds:g} s per endpoint after a "
        f"{serving.WARM_UP_SECONDS} s warm-up; wrk runs on the same machine.",
        "",
        "Seeded data (×1): " + ", ".join(f"{count:,} {table.replace('_', ' ')}" for table, count in seed["counts"].items())
        + f"; seeded in {seed['seed_seconds']:.1f} s on SQLite (target < 120 s).",
        "",
        "### Serving",
        "",
    ]
    for run in runs:
        if run["scale"] == 1:
            lines += serving_table(run)
    report = {run["database"]: run["report_ms"] for run in runs if run["scale"] == 1}
    lines += [
        "### Single operations",
        "",
        "| what | figure | target |",
        "|---|---|---|",
        *(f"| HR report page for the whole city (`{serving.REPORT_PATH}`, {database}, one request at a time, "
          f"median of {serving.REPORT_ROUNDS}) | {value:.0f} ms | < {REPORT_TARGET_MS} ms |"
          for database, value in report.items()),
        f"| Course import, {other['import']['courses']} courses × {other['import']['lessons']} lessons (SQLite) | "
        f"{other['import']['total_seconds']:.2f} s (load and render {other['import']['check_seconds']:.2f} s; "
        f"unchanged re-import {other['import']['again_seconds']:.2f} s) | < 10 s |",
        f"| CSV export, {other['exports']['rows']:,} rows | {other['exports']['csv_seconds']:.1f} s, "
        f"{other['exports']['csv_mb']:.0f} MB, peak RSS {other['exports']['csv_peak_mb']:.0f} MB | "
        f"< {exports.CSV_TARGET_S} s, < {exports.MEMORY_TARGET_MB} MB |",
        f"| XLSX export, {other['exports']['xlsx_rows']:,} rows | {other['exports']['xlsx_seconds']:.1f} s, "
        f"{other['exports']['xlsx_mb']:.1f} MB | < {exports.XLSX_TARGET_S} s |",
        f"| Certificate PDF, warm, median of {other['certificate']['rounds']} | "
        f"{other['certificate']['warm_ms']:.0f} ms (first {other['certificate']['cold_ms']:.0f} ms) | "
        f"< {learning_pages.CERTIFICATE_TARGET_MS} ms |",
        "",
        "### Growth",
        "",
        *growth_table(runs),
        END,
    ]
    return "\n".join(lines)


def write(text: str) -> None:
    page = DOC.read_text()
    before, rest = page.split(START, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(before + text + after)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--postgres", default=os.environ.get("ELEARN_BENCH_POSTGRES", POSTGRES))
    parser.add_argument("--export-rows", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md as it is")
    args = parser.parse_args()
    if 1 not in args.scales:
        parser.error("the scales must include 1: the targets are stated for it")

    facts = {**machine(), "postgres": postgres_version(args.postgres)}
    # The single operations first: they take minutes where the serving runs take half an hour.
    other = {"import": import_courses.measure(), "exports": exports.measure(args.export_rows),
             "certificate": learning_pages.certificate_render()}
    runs = []
    for scale in sorted(args.scales):
        for server in ("sqlite", args.postgres):
            run = serving.measure(server, scale, args.seconds)
            serving.print_run(run)
            runs.append(run)
    text = results(args, facts, runs, other)
    print(text.split("### Single operations", 1)[1].split("### Growth")[0])
    if not args.no_write:
        write(text)
        print(f"written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
