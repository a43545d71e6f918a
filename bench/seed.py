"""A realistic installation for the benchmarks: 5,000 ASN in 40 units, 30 courses of 8 lessons,
60,000 enrolments, 400,000 lesson-progress rows, 50,000 quiz attempts, 20,000 certificates
(each with its development-record entry), times ``scale``.

Run: .venv/bin/python bench/seed.py [DATABASE_URL] [SCALE]   (default: a temporary SQLite file)
Rows go in with bulk inserts of plain values, not through the app's per-request paths: the
benchmarks measure serving, and the seed only has to look like a city after a year of use.
"""
import random
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select

from elearn import create_app
from elearn.courses.importer import import_course
from elearn.courses.loader import load
from elearn.data.transfer import reset_sequences
from elearn.extensions import db
from elearn.models import (
    Certificate,
    CertificateCounter,
    Course,
    Enrolment,
    LessonProgress,
    QuizAttempt,
    RecordEntry,
    Unit,
    User,
    UserRole,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.coursefiles import course_files  # noqa: E402

PASSWORD_HASH = "pbkdf2:sha256:1000$bench$" + "0" * 64  # nobody logs in with it
CHUNK = 5000


def chunked(model, rows) -> int:
    table, count, batch = model.__table__, 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            db.session.execute(insert(table), batch)
            count, batch = count + len(batch), []
    if batch:
        db.session.execute(insert(table), batch)
        count += len(batch)
    return count


def nip(n: int) -> str:
    """Birth date, appointment month, sex and serial, as a NIP is made; unique for n < 360,000."""
    k = n // 1000
    return (f"{1970 + k % 30}{1 + (k // 30) % 12:02d}{1 + n % 28:02d}{2000 + n % 20}{1 + n % 12:02d}{1 + n % 2}"
            f"{n % 1000:03d}")


def seed(scale: float = 1.0, rng: random.Random | None = None) -> dict[str, int]:
    rng = rng or random.Random(2026)
    people, units, courses = int(5000 * scale), 40, 30
    now = datetime.now(UTC)
    year = now.year
    counts = {"units": chunked(Unit, ({"id": n + 1, "code": f"OPD-{n + 1:02d}", "name": f"Perangkat Daerah {n + 1}",
                                       "parent_id": None} for n in range(units)))}
    for n in range(courses):
        slug = f"kursus-{n:02d}"
        import_course(load(course_files(slug, lessons=8, minutes=15, time_limit=60), slug, slug))
    db.session.flush()
    catalogue = db.session.execute(select(Course.id, Course.current_version_id, Course.title, Course.jp)).all()
    lessons = {course.id: [lesson.id for lesson in db.session.get(Course, course.id).active_lessons]
               for course in catalogue}
    counts["users"] = chunked(User, (
        {"id": n + 1, "nip": nip(n),
         "email": None, "name": f"Pegawai {n + 1}", "password_hash": PASSWORD_HASH, "must_change_password": False,
         "active": True, "unit_id": n % units + 1, "position": rng.choice(["Perawat", "Guru", "Analis", "Bendahara"]),
         "rank": "III/b", "employment_type": "PNS", "created_at": now,
         "opaque_id": secrets.token_hex(16)} for n in range(people)))
    counts["roles"] = chunked(UserRole, ({"user_id": n + 1, "role": "learner"} for n in range(people)))
    enrolments, progress, attempts, certificates, records = [], [], [], [], []
    per_person = max(1, round(60000 * scale / people))
    sequence = 0
    for person in range(1, people + 1):
        for course in rng.sample(catalogue, per_person):
            eid = len(enrolments) + 1
            enrolled = now - timedelta(days=rng.randint(1, 300))
            done = rng.random() < 20000 / 60000
            course_lessons = lessons[course.id]
            opened = len(course_lessons) if done else rng.randint(5, len(course_lessons) - 1)
            completed_at = enrolled + timedelta(days=rng.randint(0, 20)) if done else None
            enrolments.append({"id": eid, "user_id": person, "course_id": course.id, "enrolled_at": enrolled,
                               "completed_at": completed_at, "final_score": 90.0 if done else None,
                               "last_lesson_id": course_lessons[opened - 1], "last_activity_at": enrolled})
            progress.extend({"enrolment_id": eid, "lesson_id": lesson, "first_opened_at": enrolled,
                             "completed_at": enrolled if done or i < opened - 1 else None, "active_seconds": 600}
                            for i, lesson in enumerate(course_lessons[:opened]))
            if done or rng.random() < 0.75:
                attempts.append({"enrolment_id": eid, "version_id": course.current_version_id, "number": 1,
                                 "started_at": enrolled, "submitted_at": enrolled, "layout": {"keys": [], "orders": {}},
                                 "answers": {}, "grades": {}, "score": 90.0 if done else 40.0,
                                 "status": "submitted", "passed": done})
            if done:
                sequence += 1
                issued = completed_at
                certificates.append({"id": sequence, "number": f"{sequence:05d}/ELEARN/{year}", "year": year,
                                     "sequence": sequence, "code": secrets.token_hex(16), "enrolment_id": eid,
                                     "user_id": person, "course_id": course.id, "version_id": course.current_version_id,
                                     "course_title": course.title, "jp": course.jp, "competency": "sosial-kultural",
                                     "issued_at": issued})
                records.append({"user_id": person, "year": year, "source": "course", "enrolment_id": eid,
                                "certificate_id": sequence, "certificate_number": f"{sequence:05d}/ELEARN/{year}",
                                "title": course.title, "organiser": "BKPSDM", "training_type": 16,
                                "competency": "sosial-kultural", "jp": course.jp, "started_on": enrolled.date(),
                                "completed_on": completed_at.date(), "created_at": issued})
    counts["enrolments"] = chunked(Enrolment, enrolments)
    counts["lesson_progress"] = chunked(LessonProgress, progress)
    counts["quiz_attempts"] = chunked(QuizAttempt, attempts)
    counts["certificates"] = chunked(Certificate, certificates)
    counts["record_entries"] = chunked(RecordEntry, records)
    db.session.execute(insert(CertificateCounter.__table__), [{"year": year, "last": sequence}])
    if db.session.get_bind().dialect.name == "postgresql":
        # Rows came with their ids; the app's own inserts must start after them.
        reset_sequences(db.session.connection())
    db.session.commit()
    return counts


def main(database_url: str | None = None, scale: float = 1.0) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{folder}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            counts = seed(scale)
            took = time.perf_counter() - started
            db.engine.dispose()
    print(f"seeded {url.split('://')[0]} at scale {scale} in {took:.1f} s (target < 120 s on SQLite at scale 1)")
    for table, rows in counts.items():
        print(f"  {table:16} {rows:>9,}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 and "://" in sys.argv[1] else None,
         float(sys.argv[-1]) if len(sys.argv) > 1 and "://" not in sys.argv[-1] else 1.0)
