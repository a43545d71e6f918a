"""``flask data export|import``: every row of an installation survives a move to another
database (SQLite → PostgreSQL when the suite runs on PostgreSQL) and back."""
from __future__ import annotations

import base64
import io
import json
import os
import stat
import zipfile
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from elearn.accounts import operations
from elearn.api.tokens import create_token
from elearn.config import normalise_database_url
from elearn.extensions import db
from elearn.models import Course, ExternalTraining, Unit, User
from elearn.timeutil import local_date, utcnow
from tests import sqlitecopy
from tests.conftest import PASSWORD, Auth
from tests.evidence import PDF
from tests.html import csrf_token

NIP = "198503122010011002"
RIGHT = {"q-nilai": "0", "q-jam-buka": "8"}


@pytest.fixture(scope="module")
def template(tmp_path_factory, instance_path):
    return sqlitecopy.migrated_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def app(template, tmp_path):
    """The installation to move: always a SQLite file, as a first installation is."""
    app = sqlitecopy.sqlite_app(template, tmp_path / "source.db")
    yield app
    sqlitecopy.close(app)


@pytest.fixture
def new_database(databases, template, tmp_path):
    """Empty, migrated databases of the suite's kind (PostgreSQL when it runs there)."""
    made = []

    def make(kind: str = databases.dialect):
        if kind == "sqlite":
            target = sqlitecopy.sqlite_app(template, tmp_path / f"target-{len(made)}.db")
        else:
            target = _migrated(databases.new())
        made.append(target)
        return target

    yield make
    for target in made:
        sqlitecopy.close(target)


def _migrated(url: str):
    target = sqlitecopy.app_on(url)
    with target.app_context():
        upgrade()
    return target


def post(client, url, data=None, page=None):
    token = csrf_token(client.get(page or url))
    return client.post(url, data={**(data or {}), "csrf_token": token})


def signed_in(app, login):
    client = app.test_client()
    assert Auth(client).login(login, PASSWORD).status_code == 302
    return client


@pytest.fixture
def installation(app, make_user, make_unit, make_course):
    """A year of use in miniature, made through the app's own pages and operations."""
    puskesmas = make_unit("PKM-SB", "Puskesmas Siantar Barat")
    dinkes = make_unit("DINKES", "Dinas Kesehatan")
    with app.app_context():
        # A parent younger than its child, as a later reorganisation leaves it: the import must
        # not rely on ids to order a table's rows.
        db.session.execute(update(Unit).where(Unit.id == puskesmas.id).values(parent_id=dinkes.id))
        db.session.commit()
    make_user(nip=NIP, name="Budi Santoso", unit_id=puskesmas.id, position="Perawat Ahli Pertama")
    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id", name="Petugas BKPSDM")
    admin = make_user(roles=("admin",), email="admin@pemko.example.go.id", name="Admin Kota")
    trainer = make_user(roles=("trainer",), email="widyaiswara@pemko.example.go.id", name="Dewi Widyaiswara")
    make_course("etika-pelayanan")
    with app.app_context():
        create_token(db.session.get(User, admin.id), "SIMPEG")
        db.session.commit()

    learner = signed_in(app, NIP)
    slug = "etika-pelayanan"
    post(learner, f"/courses/{slug}/enroll", page=f"/courses/{slug}")
    lesson = f"/courses/{slug}/lessons/bagian-1"
    post(learner, f"{lesson}/checks/cek-1", {"answer": "true"}, page=lesson)
    for lesson in ("bagian-1", "bagian-2"):
        post(learner, f"/courses/{slug}/lessons/{lesson}/complete", page=f"/courses/{slug}/lessons/{lesson}")
    post(learner, f"/courses/{slug}/quiz", {"action": "start"})
    shown = {f"{name}-shown": "1" for name in RIGHT}
    assert post(learner, f"/courses/{slug}/quiz", {**RIGHT, **shown, "action": "submit"}).status_code == 302
    survey = {"relevance": "5", "material": "4", "applicability": "3", "comment": "Sangat berguna di loket."}
    assert post(learner, f"/courses/{slug}/survey", survey, page="/").status_code == 302

    year = local_date(utcnow()).year
    page = learner.get("/me/record/trainings/new")
    boundary, body = encode_multipart({
        "title": "Pelatihan Pengadaan Barang/Jasa", "training_type": "3", "organiser": "LKPP",
        "competency": "teknis", "started_on": f"{year}-01-05", "ended_on": f"{year}-01-07", "jp": "24",
        "certificate_number": "LKPP/123/2026", "csrf_token": csrf_token(page),
        "evidence": FileStorage(io.BytesIO(PDF), filename="sertifikat.pdf"),
    })
    response = learner.post("/me/record/trainings/new", data=body,
                            content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302

    staff = signed_in(app, hr.email)
    with app.app_context():
        training_id = db.session.scalar(select(ExternalTraining.id))
    post(staff, f"/hr/trainings/{training_id}/verify", page="/hr/trainings")
    due = (local_date(utcnow()) + timedelta(days=30)).isoformat()
    with app.app_context():
        course_id = db.session.scalar(select(Course.id))
    response = post(staff, "/hr/assignments/new", {
        "course_id": course_id, "unit_id": dinkes.id, "due_on": due, "position": "", "nips": "", "note": "Wajib",
        "include_subunits": "y",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    requirement = {"tag": "BerAKHLAK", "unit_id": "", "position": ""}
    assert post(staff, "/hr/needs/requirements", requirement).status_code == 302
    plan_item = {"competency": "BerAKHLAK", "course_id": str(course_id), "activity": "", "timing": "Triwulan I",
                 "indicator": "Lulus kuis"}
    assert post(learner, "/me/plan/items", plan_item, page="/me/plan").status_code == 302
    assert post(learner, "/me/plan/submit", page="/me/plan").status_code == 302

    author = signed_in(app, trainer.email)
    draft = {"id": "layanan-prima", "title": "Layanan Prima", "summary": "Melayani warga dengan prima.", "jp": "1",
             "competency": "sosial-kultural", "organiser": "BKPSDM", "lesson_title": "Pendahuluan"}
    assert post(author, "/authoring/new", draft, page="/authoring/").status_code == 302
    return app


def rows_of(url: str) -> dict[str, list[dict]]:
    """Every row of every table, as the models read them (datetimes as aware UTC)."""
    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as connection:
            return {
                table.name: [dict(row._mapping) for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def url_of(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"]


def run(app, *args):
    return app.test_cli_runner().invoke(args=[str(arg) for arg in args])


def test_an_installation_moves_to_another_database_and_back_unchanged(installation, new_database, tmp_path):
    source = rows_of(url_of(installation))
    for table in ("certificates", "record_entries", "outbox", "external_trainings", "assignments",
                  "assigned_people", "api_tokens", "quiz_attempts", "audit_events", "course_versions",
                  "check_answers", "survey_responses", "competency_requirements", "development_plans",
                  "plan_items", "course_drafts", "course_draft_files", "units"):
        assert source[table], f"the installation should have {table}"

    exported = run(installation, "data", "export", tmp_path / "move.zip")
    assert exported.exit_code == 0, exported.output
    target = new_database()
    imported = run(target, "data", "import", tmp_path / "move.zip")
    assert imported.exit_code == 0, imported.output
    assert rows_of(url_of(target)) == source

    # The way back, into a SQLite file: nothing is lost in either direction.
    assert run(target, "data", "export", tmp_path / "back.zip").exit_code == 0
    back = new_database("sqlite")
    assert run(back, "data", "import", tmp_path / "back.zip").exit_code == 0
    assert rows_of(url_of(back)) == source


def test_the_file_holds_a_manifest_and_portable_values(installation, tmp_path):
    assert run(installation, "data", "export", tmp_path / "move.zip").exit_code == 0
    with zipfile.ZipFile(tmp_path / "move.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        training = json.loads(archive.read("tables/external_trainings.jsonl").splitlines()[0])
        version = json.loads(archive.read("tables/course_versions.jsonl").splitlines()[0])
    source = rows_of(url_of(installation))
    assert manifest["tables"] == {name: len(rows) for name, rows in source.items()}
    assert manifest["revision"] and manifest["created_at"].endswith("+00:00")
    assert training["evidence"] == base64.b64encode(PDF).decode()
    assert training["submitted_at"].endswith("+00:00") and training["started_on"].count("-") == 2
    assert isinstance(version["quiz_questions"], list)


def test_new_rows_after_an_import_get_fresh_ids(installation, new_database, tmp_path):
    assert run(installation, "data", "export", tmp_path / "move.zip").exit_code == 0
    target = new_database()
    assert run(target, "data", "import", tmp_path / "move.zip").exit_code == 0
    with target.app_context():
        largest = db.session.scalar(select(func.max(User.id)))
        user = operations.create_user(None, roles=("learner",), password=PASSWORD, name="Pegawai Baru",
                                      email="baru@pemko.example.go.id")
        db.session.commit()
        assert user.id == largest + 1


def count_rows(url: str) -> int:
    return sum(len(rows) for rows in rows_of(url).values())


def rewrite(path, changes: dict[str, bytes | None]):
    """A copy of an export with some members replaced (or dropped, for None)."""
    with zipfile.ZipFile(path) as original:
        members = {name: original.read(name) for name in original.namelist()}
    members.update(changes)
    changed = path.with_name("changed.zip")
    with zipfile.ZipFile(changed, "w") as archive:
        for name, content in members.items():
            if content is not None:
                archive.writestr(name, content)
    return changed


def test_import_refuses_a_database_that_is_not_empty(installation, tmp_path):
    assert run(installation, "data", "export", tmp_path / "move.zip").exit_code == 0
    before = rows_of(url_of(installation))
    result = run(installation, "data", "import", tmp_path / "move.zip")
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert rows_of(url_of(installation)) == before


def test_import_refuses_another_revision(installation, new_database, tmp_path):
    assert run(installation, "data", "export", tmp_path / "move.zip").exit_code == 0
    manifest = json.loads(zipfile.ZipFile(tmp_path / "move.zip").read("manifest.json"))
    older = rewrite(tmp_path / "move.zip", {"manifest.json": json.dumps({**manifest, "revision": "6e28f7b99c07"}).encode()})
    target = new_database()
    result = run(target, "data", "import", older)
    assert result.exit_code == 1
    assert "6e28f7b99c07" in result.output
    assert count_rows(url_of(target)) == 0


def test_import_refuses_an_unmigrated_database(installation, databases, tmp_path):
    assert run(installation, "data", "export", tmp_path / "move.zip").exit_code == 0
    bare = sqlitecopy.app_on(databases.new())
    try:
        result = run(bare, "data", "import", tmp_path / "move.zip")
        assert result.exit_code == 1
        assert "flask db upgrade" in result.output
    finally:
        sqlitecopy.close(bare)


@pytest.mark.parametrize("damage", ["not a zip", "bad line late", "row missing", "no manifest", "column renamed",
                                    "dangling reference"])
def test_import_of_a_damaged_file_writes_nothing(installation, new_database, tmp_path, damage):
    path = tmp_path / "move.zip"
    assert run(installation, "data", "export", path).exit_code == 0
    with zipfile.ZipFile(path) as archive:
        audit = archive.read("tables/audit_events.jsonl")
        records = archive.read("tables/record_entries.jsonl")
        courses = archive.read("tables/courses.jsonl")
    if damage == "not a zip":
        path.write_bytes(b"PK\x03\x04 this is not what it seems")
    elif damage == "bad line late":
        # After every table but the last is in: the whole import must roll back.
        path = rewrite(path, {"tables/record_entries.jsonl": records + b'{"id": 99, "user_id": \n'})
    elif damage == "row missing":
        path = rewrite(path, {"tables/audit_events.jsonl": b"\n".join(audit.splitlines()[:-1]) + b"\n"})
    elif damage == "no manifest":
        path = rewrite(path, {"manifest.json": None})
    elif damage == "column renamed":
        path = rewrite(path, {"tables/record_entries.jsonl": records.replace(b'"jp"', b'"jam"')})
    else:
        # Filled in after every table is in: a version that does not exist must still refuse.
        path = rewrite(path, {"tables/courses.jsonl": courses.replace(b'"current_version_id": 1', b'"current_version_id": 999')})
    target = new_database()
    result = run(target, "data", "import", path)
    assert result.exit_code == 1, result.output
    assert str(path) in result.output
    assert count_rows(url_of(target)) == 0
    assert run(target, "data", "import", tmp_path / "move.zip").exit_code == (1 if damage == "not a zip" else 0)


def test_export_refuses_a_database_behind_the_code(app, tmp_path):
    with app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = '6e28f7b99c07'"))
        db.session.commit()
    result = run(app, "data", "export", tmp_path / "move.zip")
    assert result.exit_code == 1
    assert "flask db upgrade" in result.output
    assert not (tmp_path / "move.zip").exists()


def test_an_export_taken_while_another_worker_writes_holds_one_moment(app, tmp_path):
    with sqlitecopy.Writer(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")) as writer:
        assert run(app, "data", "export", tmp_path / "move.zip").exit_code == 0
    with zipfile.ZipFile(tmp_path / "move.zip") as archive:
        units = archive.read("tables/units.jsonl").splitlines()
        events = archive.read("tables/audit_events.jsonl").splitlines()
    # Each unit was committed with its audit event: one snapshot holds as many of each.
    assert len(units) == len(events) and 50 <= len(units) <= writer.written


def test_a_data_file_is_for_the_owner_only(app, tmp_path):
    # A umask that would let the group read: the file holds every password hash all the same.
    before = os.umask(0o002)
    try:
        result = run(app, "data", "export", tmp_path / "move.zip")
    finally:
        os.umask(before)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(tmp_path / "move.zip").st_mode) == 0o600
    with zipfile.ZipFile(tmp_path / "move.zip") as archive:
        assert archive.testzip() is None
