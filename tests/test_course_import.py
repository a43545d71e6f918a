"""Importing courses: idempotent, versioned, and never losing what learners did."""
from sqlalchemy import func, select

from elearn.courses.importer import import_course
from elearn.courses.loader import load
from elearn.extensions import db
from elearn.models import AuditEvent, Course, CourseFile, CourseVersion, Lesson
from tests.coursefiles import PNG, course_files


def write_course(folder, files):
    for path, content in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)


def reimport(app, files, slug="etika-pelayanan"):
    with app.app_context():
        result = import_course(load(files, slug, f"courses/{slug}"))
        db.session.commit()
        return result.status, result.version


def lessons(app):
    with app.app_context():
        return {lesson.slug: (lesson.id, lesson.retired, lesson.title)
                for lesson in db.session.scalars(select(Lesson))}


def test_import_then_import_again_changes_nothing(app):
    files = course_files()
    assert reimport(app, files) == ("created", 1)
    with app.app_context():
        events = db.session.scalar(select(func.count(AuditEvent.id)))
    assert reimport(app, files) == ("unchanged", 1)
    with app.app_context():
        course = db.session.scalar(select(Course))
        assert course.title == "Etika Pelayanan di Kantor Kelurahan" and course.jp == 1.0
        assert db.session.scalar(select(func.count(CourseVersion.id))) == 1
        assert db.session.scalar(select(func.count(AuditEvent.id))) == events
        assert {f.path for f in course.files} == {"course.md", "01-bagian-1.md", "02-bagian-2.md", "quiz.md",
                                                   "img/alur.png"}


def test_fixing_a_typo_keeps_the_lesson_row(app):
    files = course_files()
    reimport(app, files)
    before = lessons(app)
    fixed = {**files, "01-bagian-1.md": files["01-bagian-1.md"].replace(b"dilayani", b"dilayani dengan ramah")}
    assert reimport(app, fixed) == ("updated", 2)
    assert lessons(app) == before
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "bagian-1"))
        assert "dilayani dengan ramah" in lesson.body_html


def test_a_changed_quiz_keeps_the_old_version_for_old_attempts(app):
    files = course_files()
    reimport(app, files)
    changed = {**files, "quiz.md": files["quiz.md"].replace(b"{#8:0}", b"{#7..9}")}
    reimport(app, changed)
    with app.app_context():
        versions = db.session.scalars(select(CourseVersion).order_by(CourseVersion.number)).all()
        old, new = (v.quiz_questions[1]["answers"][0] for v in versions)
        assert (old["value"], old["tolerance"]) == (8, 0)
        assert new != old
        assert db.session.scalar(select(Course)).current_version_id == versions[1].id


def test_a_removed_lesson_is_retired_not_deleted_and_comes_back(app):
    files = course_files(lessons=3)
    reimport(app, files)
    ids = lessons(app)
    shorter = {path: content for path, content in files.items() if path != "03-bagian-3.md"}
    reimport(app, shorter)
    assert lessons(app)["bagian-3"] == (ids["bagian-3"][0], True, "Pelajaran 3")
    reimport(app, files)
    assert lessons(app) == ids


def test_a_removed_file_goes_and_a_changed_file_is_replaced(app):
    files = course_files()
    reimport(app, files)
    changed = {**files, "img/alur.png": PNG + b"\0"}
    changed["img/peta.png"] = PNG
    reimport(app, changed)
    del changed["img/peta.png"]
    reimport(app, changed)
    with app.app_context():
        stored = {f.path: f.content for f in db.session.scalars(select(CourseFile))}
        assert stored["img/alur.png"] == PNG + b"\0" and "img/peta.png" not in stored


def test_cli_imports_nothing_when_one_course_is_broken(app, runner, tmp_path):
    write_course(tmp_path / "etika-pelayanan", course_files())
    broken = course_files("kursus-rusak")
    broken["course.md"] = broken["course.md"].replace(b"competency: sosial-kultural", b"competency: lain")
    write_course(tmp_path / "kursus-rusak", broken)
    result = runner.invoke(args=["courses", "import", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path}/kursus-rusak/course.md:6: competency: harus salah satu dari" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Course.id))) == 0


def test_cli_import_reports_each_course(runner, tmp_path):
    write_course(tmp_path / "etika-pelayanan", course_files())
    first = runner.invoke(args=["courses", "import", str(tmp_path)])
    second = runner.invoke(args=["courses", "import", str(tmp_path / "etika-pelayanan")])
    assert first.output.strip() == "etika-pelayanan: dibuat (versi 1)"
    assert second.output.strip() == "etika-pelayanan: tidak berubah (versi 1)"


def test_course_files_are_served_to_signed_in_users_only(app, client, auth, make_user, make_course):
    make_course()
    url = "/courses/etika-pelayanan/files/img/alur.png"
    assert client.get(url).headers["Location"].startswith("/login")
    make_user(email="pegawai@pemko.example.go.id")
    auth.login("pegawai@pemko.example.go.id")
    response = client.get(url)
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    for missing in ("img/none.png", "../etika-pelayanan/img/alur.png", "course.md", "%2e%2e/course.md"):
        assert client.get(f"/courses/etika-pelayanan/files/{missing}").status_code == 404, missing
    assert client.get("/courses/tidak-ada/files/img/alur.png").status_code == 404


def test_quiz_exports_as_gift_that_parses_back_to_the_same_questions(app, runner, make_course):
    from elearn.questions import gift

    make_course()
    result = runner.invoke(args=["courses", "gift", "etika-pelayanan"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = db.session.scalar(select(CourseVersion)).quiz_questions
    assert [q.to_data() for q in gift.parse(result.output)] == stored
    assert runner.invoke(args=["courses", "gift", "tidak-ada"]).exit_code == 1
