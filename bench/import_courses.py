"""How long importing many courses takes: 100 courses of 10 lessons into a fresh SQLite file.

Run: .venv/bin/python bench/import_courses.py [COURSES] [LESSONS]
Prints the time to check (load and render) and to import, and the time of a second,
unchanged import, which must be a no-op.
"""
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from elearn import create_app
from elearn.courses.importer import import_course
from elearn.courses.loader import load
from elearn.extensions import db

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.coursefiles import course_files  # noqa: E402


def measure(courses: int = 100, lessons: int = 10) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            sources = [course_files(f"kursus-{n:03d}", lessons=lessons) for n in range(courses)]
            started = time.perf_counter()
            loaded = [load(files, f"kursus-{n:03d}", f"kursus-{n:03d}") for n, files in enumerate(sources)]
            checked = time.perf_counter()
            for course in loaded:
                import_course(course)
            db.session.commit()
            imported = time.perf_counter()
            for course in loaded:
                assert import_course(course).status == "unchanged"
            db.session.commit()
            again = time.perf_counter()
            db.engine.dispose()
    return {"courses": courses, "lessons": lessons, "check_seconds": checked - started,
            "import_seconds": imported - checked, "total_seconds": imported - started, "again_seconds": again - imported}


def main(courses: int = 100, lessons: int = 10) -> None:
    figures = measure(courses, lessons)
    print(f"{courses} courses x {lessons} lessons on SQLite")
    print(f"  load and render : {figures['check_seconds']:6.2f} s")
    print(f"  import          : {figures['import_seconds']:6.2f} s")
    print(f"  total           : {figures['total_seconds']:6.2f} s  (target < 10 s, ratio "
          f"{figures['total_seconds'] / 10:.2f})")
    print(f"  unchanged again : {figures['again_seconds']:6.2f} s")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
