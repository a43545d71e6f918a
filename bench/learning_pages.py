"""What a learner's most frequent pages cost: database statements and time per lesson page,
for a short and a long course, and the time to render a certificate PDF once warm.

Run: .venv/bin/python bench/learning_pages.py
The statement count must not grow with the number of lessons in the table of contents,
and a warm certificate must render in under 100 ms (median of 50 renders).
"""
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event

from elearn import create_app
from elearn.accounts.operations import create_user
from elearn.certificates.pdf import CertificateView, render_pdf
from elearn.courses.importer import import_course
from elearn.courses.loader import load
from elearn.extensions import db

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.coursefiles import course_files  # noqa: E402
from tests.html import csrf_token  # noqa: E402

PASSWORD = "Bench-Password-2026"
ROUNDS = 50
CERTIFICATE_TARGET_MS = 100


def statements_while(engine, action) -> tuple[list[str], object]:
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.split()[0].upper())

    event.listen(engine, "before_cursor_execute", count)
    try:
        result = action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen, result


def post(client, path, page, **data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client.get(page))})


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade()
            for lessons in (2, 40):
                slug = f"kursus-{lessons}"
                import_course(load(course_files(slug, lessons=lessons), slug, slug))
            create_user(None, roles=("learner",), password=PASSWORD, name="Pegawai Bench",
                        nip="198503122010011002")
            db.session.commit()
            engine = db.engine

        client = app.test_client()
        post(client, "/login", "/login", username="198503122010011002", password=PASSWORD)
        print("lesson page (GET /courses/<id>/lessons/<slug>), SQLite")
        for lessons in (2, 40):
            slug = f"kursus-{lessons}"
            post(client, f"/courses/{slug}/enroll", f"/courses/{slug}")
            path = f"/courses/{slug}/lessons/bagian-2"
            client.get(path)
            statements, response = statements_while(engine, lambda path=path: client.get(path))
            assert response.status_code == 200
            timings = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                client.get(path)
                timings.append(time.perf_counter() - started)
            reads = statements.count("SELECT")
            print(f"  {lessons:2d} lessons: {reads} SELECT, {len(statements) - reads} other statements, "
                  f"median {statistics.median(timings) * 1000:.1f} ms")

        with app.app_context():
            db.engine.dispose()
    figures = certificate_render()
    print("certificate PDF")
    print(f"  first render {figures['cold_ms']:.0f} ms, warm median of {ROUNDS} {figures['warm_ms']:.0f} ms "
          f"(target < {CERTIFICATE_TARGET_MS} ms, ratio {figures['warm_ms'] / CERTIFICATE_TARGET_MS:.2f})")


def certificate_render(rounds: int = ROUNDS) -> dict:
    """The first render of a certificate in a fresh process, and the median of ``rounds`` after it."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench"})
        view = CertificateView(
            number="0001/ELEARN/2026", verify_url="https://elearn.example.go.id/verify/" + "a" * 32,
            institution="Pemerintah Kota Pematangsiantar — BKPSDM", course_title="Etika Pelayanan Publik",
            jp=2, competency="sosial-kultural", started_on=date(2026, 11, 2), completed_on=date(2026, 11, 23),
            participant_name="Siti Rahmawati Nasution", nip="197908152005012003", birth_place="Pematangsiantar",
            birth_date=date(1979, 8, 15), rank="III/c", position="Analis Kepegawaian Ahli Muda",
            agency="BKPSDM", score=87.5, signatory_name="Kepala", signatory_title="Kepala BKPSDM",
            signatory_nip=None)
        with app.app_context(), app.test_request_context():
            started = time.perf_counter()
            render_pdf(view)
            cold = time.perf_counter() - started
            timings = []
            for _ in range(rounds):
                started = time.perf_counter()
                render_pdf(view)
                timings.append(time.perf_counter() - started)
    return {"cold_ms": cold * 1000, "warm_ms": statistics.median(timings) * 1000, "rounds": rounds}


if __name__ == "__main__":
    main()
