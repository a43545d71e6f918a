"""How fast, and in how much memory, HR downloads a big report through the real routes.

Run: .venv/bin/python bench/exports.py [ROWS]
Fills a temporary SQLite file with ROWS enrolments (default 1,000,000: 20,000 people in
10 units x 50 courses, most completed with a certificate), then, in a fresh process, downloads
every row as CSV and one unit's share (ROWS / 10, default 100,000) as XLSX through the test
client, discarding the bytes as they arrive. Prints the times and the process's peak memory
(resident set size) against the targets.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

UNITS = 10
COURSES = 50
CHUNK = 50_000
PASSWORD = "kata-sandi-bench-123"
CSV_TARGET_S, MEMORY_TARGET_MB, XLSX_TARGET_S = 20, 200, 15


def make_app(folder: str):
    os.environ["ELEARN_INSTANCE_PATH"] = folder
    from elearn import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
        "SECRET_KEY": "bench",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # scrypt takes 32 MB for one log-in: that would be counted as the download's memory.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })


def fill(folder: str, rows: int) -> None:
    """Bulk inserts with executemany in chunks: the ORM would spend minutes on a million objects."""
    from flask_migrate import upgrade

    from elearn.accounts.operations import create_user
    from elearn.extensions import db
    from elearn.models import Certificate, Course, CourseVersion, Enrolment, Unit, User

    app = make_app(folder)
    people = rows // COURSES
    start = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    with app.app_context():
        upgrade()
        create_user(None, name="Petugas BKPSDM", email="hr@bench.example", roles=["hr"], password=PASSWORD)
        db.session.commit()
        connection = db.session.connection()
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
        connection.execute(Unit.__table__.insert(), [
            {"id": n + 1, "code": f"OPD-{n:02d}", "name": f"Dinas Bench {n:02d}", "parent_id": None}
            for n in range(UNITS)
        ] + [
            {"id": UNITS + n + 1, "code": f"OPD-{n:02d}-UPT", "name": f"UPT Dinas Bench {n:02d}", "parent_id": n + 1}
            for n in range(UNITS)
        ])
        connection.execute(Course.__table__.insert(), [
            {"id": c + 1, "slug": f"kursus-{c:03d}", "title": f"Kursus Bench {c:03d}", "summary": "Ringkasan",
             "jp": 2 + c % 10, "competency": ("teknis", "manajerial", "sosial-kultural")[c % 3], "tags": [],
             "authors": [], "organiser": "BKPSDM", "passing_score": 70, "description_html": "<p>Bench</p>"}
            for c in range(COURSES)
        ])
        connection.execute(CourseVersion.__table__.insert(), [
            {"id": c + 1, "course_id": c + 1, "number": 1, "content_hash": "0" * 64, "created_at": start}
            for c in range(COURSES)
        ])
        # People 2..: unit by block, so that each top unit (with its sub-unit) holds a tenth.
        first_user = 2
        for offset in range(0, people, CHUNK):
            connection.execute(User.__table__.insert(), [
                {"id": first_user + p, "nip": str(198001012005010000 + p), "name": f"Pegawai {p:06d}",
                 "unit_id": (p * UNITS // people) + 1 + (UNITS if p % 2 else 0), "position": "Analis",
                 "rank": "III/a", "employment_type": "PNS" if p % 5 else "PPPK", "active": True,
                 "opaque_id": f"{p:032x}", "must_change_password": False}
                for p in range(offset, min(offset + CHUNK, people))
            ])
        sequence = 0
        for offset in range(0, rows, CHUNK):
            enrolments, certificates = [], []
            for e in range(offset, min(offset + CHUNK, rows)):
                person, course = divmod(e, COURSES)
                enrolled = start + timedelta(minutes=e % 400_000)
                completed = enrolled + timedelta(days=3) if e % 10 < 7 else None
                enrolments.append({
                    "id": e + 1, "user_id": first_user + person, "course_id": course + 1, "enrolled_at": enrolled,
                    "completed_at": completed, "final_score": 70 + e % 31 if completed else None,
                    "last_activity_at": completed or (enrolled if e % 10 < 9 else None),
                })
                if completed:
                    sequence += 1
                    certificates.append({
                        "number": f"{sequence:07d}/BENCH/2026", "year": 2026, "sequence": sequence,
                        "code": f"{sequence:032x}", "enrolment_id": e + 1, "user_id": first_user + person,
                        "course_id": course + 1, "version_id": course + 1, "issued_at": completed,
                        "course_title": f"Kursus Bench {course:03d}", "jp": 2 + course % 10,
                        "competency": ("teknis", "manajerial", "sosial-kultural")[course % 3],
                    })
            connection.execute(Enrolment.__table__.insert(), enrolments)
            connection.execute(Certificate.__table__.insert(), certificates)
        db.session.commit()
        db.engine.dispose()


def download(client, url: str) -> tuple[float, int, int]:
    """Seconds, bytes and lines of one download, read chunk by chunk and thrown away."""
    started = time.perf_counter()
    response = client.get(url, buffered=False)
    assert response.status_code == 200, response.status_code
    size = lines = 0
    for chunk in response.iter_encoded():
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    return time.perf_counter() - started, size, lines


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def export(folder: str, rows: int) -> None:
    """Both downloads, in this process; the figures go to export.json in the folder."""
    app = make_app(folder)
    client = app.test_client()
    assert client.post("/login", data={"username": "hr@bench.example", "password": PASSWORD}).status_code == 302
    baseline = peak_mb()
    seconds, size, lines = download(client, "/hr/reports/completions.csv")
    assert lines == rows + 1, lines
    csv_peak = peak_mb()
    xlsx_seconds, xlsx_size, _ = download(client, "/hr/reports/completions.xlsx?unit=OPD-00")
    Path(folder, "export.json").write_text(json.dumps({
        "rows": rows, "csv_lines": lines, "csv_seconds": seconds, "csv_mb": size / 1e6, "csv_peak_mb": csv_peak,
        "baseline_mb": baseline, "xlsx_rows": rows // UNITS, "xlsx_seconds": xlsx_seconds,
        "xlsx_mb": xlsx_size / 1e6, "peak_mb": peak_mb()}))


def measure(rows: int = 1_000_000) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        # Each step in its own process, so the peak memory measured is the download's alone.
        subprocess.run([sys.executable, __file__, "fill", folder, str(rows)], check=True)
        filled = time.perf_counter() - started
        subprocess.run([sys.executable, __file__, "export", folder, str(rows)], check=True)
        return {**json.loads(Path(folder, "export.json").read_text()), "fill_seconds": filled}


def main(rows: int = 1_000_000) -> None:
    figures = measure(rows)
    print(f"fill of {rows:,} enrolments: {figures['fill_seconds']:.1f} s")
    print(f"CSV of {rows:,} completion rows through GET /hr/reports/completions.csv")
    print(f"  time        : {figures['csv_seconds']:6.2f} s   (target < {CSV_TARGET_S} s, "
          f"ratio {figures['csv_seconds'] / CSV_TARGET_S:.2f})")
    print(f"  size        : {figures['csv_mb']:6.1f} MB")
    print(f"  peak memory : {figures['csv_peak_mb']:6.1f} MB  (target < {MEMORY_TARGET_MB} MB, ratio "
          f"{figures['csv_peak_mb'] / MEMORY_TARGET_MB:.2f}; {figures['baseline_mb']:.1f} MB before the download)")
    print(f"XLSX of {figures['xlsx_rows']:,} rows through GET /hr/reports/completions.xlsx?unit=OPD-00")
    print(f"  time        : {figures['xlsx_seconds']:6.2f} s   (target < {XLSX_TARGET_S} s, "
          f"ratio {figures['xlsx_seconds'] / XLSX_TARGET_S:.2f})")
    print(f"  size        : {figures['xlsx_mb']:6.1f} MB")
    print(f"  peak memory : {figures['peak_mb']:6.1f} MB  (whole process, after both downloads)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if len(sys.argv) > 1 and sys.argv[1] in ("fill", "export"):
        {"fill": fill, "export": export}[sys.argv[1]](sys.argv[2], int(sys.argv[3]))
    else:
        main(*(int(arg) for arg in sys.argv[1:2]))
