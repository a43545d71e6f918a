"""Writing courses on the web: drafts that keep what was typed, publication through the same
loader and importer as `flask courses import`, safe .zip upload, and download that round-trips."""
import io
import stat
import zipfile

import pytest
from sqlalchemy import func, select

from elearn.authoring import sources
from elearn.authoring.archive import ArchiveError, read_course_zip, write_course_zip
from elearn.courses.importer import import_course
from elearn.courses.loader import MAX_ASSET_BYTES, load
from elearn.extensions import db
from elearn.models import (
    AuditEvent,
    Course,
    CourseDraft,
    CourseDraftFile,
    CourseTrainer,
    CourseVersion,
    Lesson,
    LessonProgress,
)
from tests.conftest import Auth
from tests.coursefiles import BROKEN_QUIZ, PNG, course_files
from tests.html import csrf_token

SLUG = "etika-pelayanan"

VALID_QUIZ = """---
title: Kuis Akhir
passing_score: 70
---

```gift
::layanan:: Siapa yang dilayani kantor kelurahan? {=Warga ~Pejabat}
```
"""


def signed_in(app, user):
    client = app.test_client()
    assert Auth(client).login(user.email).status_code == 302
    return client


def post(client, url, data=None, **kwargs):
    token = csrf_token(client.get("/authoring/" if "authoring" in url else "/"))
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def page(client, url) -> str:
    response = client.get(url + ("&" if "?" in url else "?") + "lang=en")
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def draft_files(app, slug=SLUG) -> dict[str, bytes]:
    with app.app_context():
        draft = db.session.scalar(select(CourseDraft).where(CourseDraft.slug == slug))
        return None if draft is None else {file.path: file.content for file in draft.files}


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def course_row(app, slug=SLUG):
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        if course is not None:
            db.session.expunge(course)
        return course


def make_trainer_of(app, user, slug=SLUG):
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        db.session.add(CourseTrainer(course_id=course.id, user_id=user.id))
        db.session.commit()


def zipped(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload_zip(client, content: bytes, publish=False, name="kursus.zip"):
    data = {"archive": (io.BytesIO(content), name)}
    if publish:
        data["publish"] = "y"
    return post(client, "/authoring/upload?lang=en", data, content_type="multipart/form-data")


@pytest.fixture
def trainer(make_user):
    return make_user(roles=("trainer",), email="widyaiswara@pemko.example.go.id", name="Dewi Lestari")


@pytest.fixture
def admin(make_user):
    return make_user(roles=("admin",), email="admin@pemko.example.go.id")


@pytest.fixture
def learner(make_user):
    return make_user(email="pegawai@pemko.example.go.id")


NEW_COURSE = {"id": "layanan-prima", "title": "Layanan Prima", "summary": "Melayani warga dengan prima.",
              "jp": "1", "competency": "sosial-kultural", "organiser": "BKPSDM Kota Pematangsiantar",
              "lesson_title": "Pendahuluan"}


def test_a_course_written_on_the_web_is_published_and_learners_take_it(app, trainer, learner):
    client = signed_in(app, trainer)
    response = post(client, "/authoring/new", NEW_COURSE)
    assert response.headers["Location"] == "/authoring/courses/layanan-prima"
    files = draft_files(app, "layanan-prima")
    assert set(files) == {"course.md", "01-pendahuluan.md"}
    assert b"minutes: 45" in files["01-pendahuluan.md"]
    assert course_row(app, "layanan-prima") is None

    lesson = ("---\ntitle: Pendahuluan\nminutes: 30\n---\n## Mengapa\n\nWarga **berhak** dilayani.\n\n"
              "![Alur](img/alur.png)\n")
    post(client, "/authoring/courses/layanan-prima/edit/01-pendahuluan.md", {"text": lesson.replace("\n", "\r\n")})
    image = post(client, "/authoring/courses/layanan-prima/images",
                 {"image": (io.BytesIO(PNG), "Alur Layanan.PNG")}, content_type="multipart/form-data")
    assert image.status_code == 302
    post(client, "/authoring/courses/layanan-prima/lessons", {"title": "Standar Layanan"})
    assert "quiz.md" not in draft_files(app, "layanan-prima")
    assert "```gift" in page(client, "/authoring/courses/layanan-prima/edit/quiz.md")
    post(client, "/authoring/courses/layanan-prima/edit/quiz.md", {"text": VALID_QUIZ})
    settings = {"title": "Layanan Prima: Dasar", "summary": "Melayani warga.", "jp": "1", "competency": "teknis",
                "tags": "pelayanan-publik, BerAKHLAK", "passing_score": "80", "authors": "Dewi Lestari\nTim BKPSDM",
                "organiser": "BKPSDM", "description": "Untuk petugas loket."}
    post(client, "/authoring/courses/layanan-prima/settings", settings)

    files = draft_files(app, "layanan-prima")
    assert set(files) == {"course.md", "01-pendahuluan.md", "02-standar-layanan.md", "quiz.md", "img/alur-layanan.png"}
    assert files["01-pendahuluan.md"] == lesson.encode()
    course_md = files["course.md"].decode()
    assert "title: 'Layanan Prima: Dasar'" in course_md and "tags: [pelayanan-publik, BerAKHLAK]" in course_md
    assert "passing_score: 80" in course_md and course_md.endswith("---\n\nUntuk petugas loket.\n")

    # The lesson links img/alur.png, but the upload was stored as img/alur-layanan.png.
    overview = page(client, "/authoring/courses/layanan-prima")
    assert ("01-pendahuluan.md:9</a>: The link img/alur.png points to a file that is not in the course folder."
            in overview)
    post(client, "/authoring/courses/layanan-prima/publish")
    assert course_row(app, "layanan-prima") is None
    post(client, "/authoring/courses/layanan-prima/edit/01-pendahuluan.md",
         {"text": lesson.replace("img/alur.png", "img/alur-layanan.png")})
    assert "Ready to publish" in page(client, "/authoring/courses/layanan-prima")

    response = post(client, "/authoring/courses/layanan-prima/publish")
    assert response.status_code == 302
    course = course_row(app, "layanan-prima")
    assert (course.status, course.source, course.title) == ("published", "web", "Layanan Prima: Dasar")
    assert draft_files(app, "layanan-prima") is None
    assert count(app, CourseTrainer, CourseTrainer.user_id == trainer.id, CourseTrainer.course_id == course.id) == 1
    assert count(app, AuditEvent, AuditEvent.action == "course.published") == 1

    learner_client = signed_in(app, learner)
    assert "Layanan Prima: Dasar" in page(learner_client, "/courses")
    post(learner_client, "/courses/layanan-prima/enroll")
    lesson_page = page(learner_client, "/courses/layanan-prima/lessons/pendahuluan")
    assert "<strong>berhak</strong>" in lesson_page
    assert learner_client.get("/courses/layanan-prima/files/img/alur-layanan.png").data == PNG


def test_invalid_gift_and_front_matter_are_kept_as_typed_and_never_published(app, trainer, make_course):
    make_course()
    make_trainer_of(app, trainer)
    client = signed_in(app, trainer)
    post(client, f"/authoring/courses/{SLUG}/draft")
    response = post(client, f"/authoring/courses/{SLUG}/edit/quiz.md", {"text": BROKEN_QUIZ})
    assert response.status_code == 302
    assert draft_files(app)["quiz.md"] == BROKEN_QUIZ.encode()
    editor = page(client, f"/authoring/courses/{SLUG}/edit/quiz.md")
    assert f"{SLUG}/quiz.md:7: " in editor and "Siapa yang dilayani kantor kelurahan? {=Warga ~Pejabat" in editor

    settings = page(client, f"/authoring/courses/{SLUG}/settings")
    assert 'value="Etika Pelayanan di Kantor Kelurahan"' in settings
    post(client, f"/authoring/courses/{SLUG}/settings",
         {"title": "Etika", "summary": "Ringkas.", "jp": "dua", "competency": "teknis", "organiser": "BKPSDM"})
    assert b"jp: dua" in draft_files(app)["course.md"]
    assert f"{SLUG}/course.md:5: jp: a number is needed." in page(client, f"/authoring/courses/{SLUG}/settings")

    response = post(client, f"/authoring/courses/{SLUG}/publish?lang=en")
    assert response.status_code == 302
    overview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The draft is not published" in overview
    assert "quiz.md:7</a>" in overview and "course.md:5</a>: jp: a number is needed." in overview
    assert count(app, CourseVersion) == 1
    assert course_row(app).title == "Etika Pelayanan di Kantor Kelurahan"
    assert draft_files(app)["quiz.md"] == BROKEN_QUIZ.encode()


def test_publishing_an_edited_course_adds_a_version_and_keeps_progress(app, trainer, learner, make_course):
    make_course()
    make_trainer_of(app, trainer)
    learner_client = signed_in(app, learner)
    post(learner_client, f"/courses/{SLUG}/enroll")
    post(learner_client, f"/courses/{SLUG}/lessons/bagian-1/complete")
    with app.app_context():
        lesson_ids = dict(db.session.execute(select(Lesson.slug, Lesson.id)).all())
    assert count(app, LessonProgress, LessonProgress.completed_at.is_not(None)) == 1

    client = signed_in(app, trainer)
    assert "This course comes from the courses/ folder" in page(client, f"/authoring/courses/{SLUG}")
    post(client, f"/authoring/courses/{SLUG}/draft")
    text = draft_files(app)["01-bagian-1.md"].decode().replace("dilayani sesuai standar", "dilayani dengan ramah")
    post(client, f"/authoring/courses/{SLUG}/edit/01-bagian-1.md", {"text": text})
    assert "dilayani dengan ramah" not in page(learner_client, f"/courses/{SLUG}/lessons/bagian-1")

    post(client, f"/authoring/courses/{SLUG}/publish")
    course = course_row(app)
    assert (course.source, course.status) == ("web", "published")
    assert count(app, CourseVersion) == 2
    with app.app_context():
        assert dict(db.session.execute(select(Lesson.slug, Lesson.id)).all()) == lesson_ids
    assert count(app, LessonProgress, LessonProgress.completed_at.is_not(None)) == 1
    assert "dilayani dengan ramah" in page(learner_client, f"/courses/{SLUG}/lessons/bagian-1")


def test_moving_a_lesson_renumbers_the_files_keeps_the_slugs_and_follows_links(app, admin, make_course):
    files = course_files(lessons=3)
    files["01-bagian-1.md"] += b"\nLanjut ke [bagian 3](03-bagian-3.md#mulai).\n"
    make_course(files=files)
    client = signed_in(app, admin)
    with app.app_context():
        lesson_ids = dict(db.session.execute(select(Lesson.slug, Lesson.id)).all())
    post(client, f"/authoring/courses/{SLUG}/draft")
    post(client, f"/authoring/courses/{SLUG}/move/03-bagian-3.md", {"direction": "up"})
    post(client, f"/authoring/courses/{SLUG}/move/01-bagian-1.md", {"direction": "down"})
    moved = draft_files(app)
    assert [path for path in moved if path[0].isdigit()] == ["01-bagian-3.md", "02-bagian-1.md", "03-bagian-2.md"]
    assert b"[bagian 3](01-bagian-3.md#mulai)" in moved["02-bagian-1.md"]

    post(client, f"/authoring/courses/{SLUG}/publish")
    with app.app_context():
        lessons = db.session.scalars(select(Lesson).order_by(Lesson.position)).all()
        assert [(lesson.slug, lesson.id) for lesson in lessons] == [
            (slug, lesson_ids[slug]) for slug in ("bagian-3", "bagian-1", "bagian-2")]


def test_a_downloaded_course_is_a_folder_that_reimports_unchanged(app, admin, make_course, runner, tmp_path):
    make_course()
    client = signed_in(app, admin)
    response = client.get(f"/authoring/courses/{SLUG}/download")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{SLUG}.zip"'
    archive = read_course_zip(io.BytesIO(response.data))
    assert archive.folder == SLUG and archive.files == course_files()

    zipfile.ZipFile(io.BytesIO(response.data)).extractall(tmp_path)
    checked = runner.invoke(args=["courses", "check", str(tmp_path / SLUG)])
    assert checked.exit_code == 0, checked.output
    with app.app_context():
        result = import_course(load(archive.files, archive.folder, SLUG))
        assert (result.status, result.version) == ("unchanged", 1)
    assert write_course_zip(SLUG, archive.files) == response.data


def test_a_valid_zip_becomes_a_draft_or_is_published_at_once(app, trainer):
    client = signed_in(app, trainer)
    folder = {f"{SLUG}/{path}": content for path, content in course_files().items()}
    response = upload_zip(client, zipped({**folder, "__MACOSX/._course.md": b"\0", f"{SLUG}/.DS_Store": b"\0"}))
    assert response.headers["Location"] == f"/authoring/courses/{SLUG}"
    assert draft_files(app) == course_files()
    assert course_row(app) is None

    other = course_files("budaya-kerja")
    response = upload_zip(client, zipped(other), publish=True)
    assert response.headers["Location"] == "/authoring/courses/budaya-kerja"
    course = course_row(app, "budaya-kerja")
    assert (course.status, course.source) == ("published", "web")
    assert draft_files(app, "budaya-kerja") is None

    again = upload_zip(client, zipped(folder))
    assert again.status_code == 400
    assert "already being edited on the web" in again.get_data(as_text=True)


def _symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in course_files().items():
            archive.writestr(f"{SLUG}/{path}", content)
        link = zipfile.ZipInfo(f"{SLUG}/img/peta.png")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return buffer.getvalue()


def _with(extra: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    return zipped({**{f"{SLUG}/{path}": content for path, content in course_files().items()}, **extra}, compression)


ATTACKS = {
    "traversal": (lambda: _with({f"{SLUG}/../../evil.md": b"x"}), "leaves the course folder"),
    "absolute path": (lambda: _with({"/etc/cron.d/evil.md": b"x"}), "absolute paths are not allowed"),
    "drive letter": (lambda: _with({"C:/evil.md": b"x"}), "absolute paths are not allowed"),
    "backslash": (lambda: _with({f"{SLUG}\\..\\evil.md": b"x"}), "backslashes are not allowed"),
    "symlink": (_symlink_zip, "symbolic links are not allowed"),
    "too many entries": (lambda: _with({f"{SLUG}/img/{n}.png": PNG for n in range(500)}), "entries; at most 500"),
    "oversize entry": (lambda: _with({f"{SLUG}/img/big.png": PNG + bytes(MAX_ASSET_BYTES)}), "larger than 2 MB"),
    "bomb": (lambda: _with({f"{SLUG}/img/{n}.png": PNG + bytes(MAX_ASSET_BYTES - 100) for n in range(16)}),
             "more than 30 MB once unpacked"),
    "wrong type": (lambda: _with({f"{SLUG}/img/run.html": b"<script>alert(1)</script>"}),
                   "only .md and .gift files, images"),
    "image that is not one": (lambda: _with({f"{SLUG}/img/foto.png": b"<svg onload=alert(1)>"}),
                              "not the kind of file its name says"),
    "not a zip": (lambda: b"PK\x03\x04 not really", "The file is not a .zip archive."),
    "invalid course": (lambda: _with({f"{SLUG}/quiz.md": BROKEN_QUIZ.encode()}), f"{SLUG}/quiz.md:7: "),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_dangerous_or_invalid_zip_is_refused_with_a_message_and_nothing_stored(app, trainer, attack):
    build, message = ATTACKS[attack]
    client = signed_in(app, trainer)
    response = upload_zip(client, build(), publish=True)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, CourseDraft) == count(app, CourseDraftFile) == count(app, Course) == 0


def test_an_archive_that_lies_about_its_sizes_is_refused():
    content = zipped({"course/img/peta.png": PNG + bytes(3 * MAX_ASSET_BYTES)})
    # Declare a tiny size in the central directory, as a crafted bomb would.
    lying = bytearray(content)
    central = lying.rindex(b"PK\x01\x02")
    lying[central + 24:central + 28] = (100).to_bytes(4, "little")
    with pytest.raises(ArchiveError):
        read_course_zip(io.BytesIO(bytes(lying)))


def test_a_trainer_cannot_edit_another_trainers_course_but_an_admin_can(app, trainer, admin, make_user, make_course):
    make_course()
    make_trainer_of(app, trainer)
    other = make_user(roles=("trainer",), email="lain@pemko.example.go.id")
    client = signed_in(app, other)
    assert client.get(f"/authoring/courses/{SLUG}").status_code == 403
    assert client.get(f"/authoring/courses/{SLUG}/download").status_code == 403
    assert post(client, f"/authoring/courses/{SLUG}/draft").status_code == 403
    assert SLUG not in page(client, "/authoring/")
    refused = upload_zip(client, zipped(course_files()), publish=True)
    assert refused.status_code == 400 and "you are not one of its trainers" in refused.get_data(as_text=True)
    assert count(app, CourseVersion) == 1

    owner = signed_in(app, trainer)
    post(owner, f"/authoring/courses/{SLUG}/draft")
    assert client.get(f"/authoring/courses/{SLUG}/edit/quiz.md").status_code == 403
    assert post(client, f"/authoring/courses/{SLUG}/edit/quiz.md", {"text": "x"}).status_code == 403
    token = csrf_token(client.get("/"))
    preview = client.post(f"/authoring/courses/{SLUG}/preview", json={"path": "quiz.md", "text": "x"},
                          headers={"X-CSRFToken": token})
    assert preview.status_code == 403

    boss = signed_in(app, admin)
    assert SLUG in page(boss, "/authoring/")
    assert post(boss, f"/authoring/courses/{SLUG}/edit/quiz.md", {"text": VALID_QUIZ}).status_code == 302
    assert post(boss, f"/authoring/courses/{SLUG}/publish").status_code == 302
    assert count(app, CourseVersion) == 2


@pytest.mark.parametrize("role", ["learner", "hr"])
def test_learners_and_hr_cannot_author(app, make_user, make_course, role):
    make_course()
    client = signed_in(app, make_user(roles=(role,)))
    for url in ("/authoring/", "/authoring/new", "/authoring/upload", f"/authoring/courses/{SLUG}",
                f"/authoring/courses/{SLUG}/download"):
        assert client.get(url).status_code == 403, url


def test_a_new_draft_is_its_creators_until_published(app, trainer, make_user):
    post(signed_in(app, trainer), "/authoring/new", NEW_COURSE)
    other = signed_in(app, make_user(roles=("trainer",)))
    assert other.get("/authoring/courses/layanan-prima").status_code == 403
    assert other.get("/authoring/courses/tidak-ada").status_code == 404
    taken = post(other, "/authoring/new?lang=en", NEW_COURSE)
    assert taken.status_code == 400 and "already exists" in taken.get_data(as_text=True)


def test_images_are_checked_by_content_and_size(app, admin, make_course):
    make_course()
    client = signed_in(app, admin)
    post(client, f"/authoring/courses/{SLUG}/draft")

    def send(content, name):
        response = post(client, f"/authoring/courses/{SLUG}/images?lang=en", {"image": (io.BytesIO(content), name)},
                        content_type="multipart/form-data", follow_redirects=True)
        return response.get_data(as_text=True)

    assert "larger than 2 MB" in send(PNG + bytes(MAX_ASSET_BYTES), "besar.png")
    assert "none of them" in send(b"<svg onload='alert(1)'></svg>", "gambar.png")
    assert set(draft_files(app)) == set(course_files())
    assert "Saved as img/peta-kota.gif" in send(b"GIF89a" + bytes(20), "Peta Kota.png")
    assert draft_files(app)["img/peta-kota.gif"].startswith(b"GIF89a")


def test_the_preview_uses_the_one_renderer_and_lists_the_files_problems(app, admin, make_course):
    make_course()
    client = signed_in(app, admin)
    post(client, f"/authoring/courses/{SLUG}/draft")
    token = csrf_token(client.get("/"))
    text = ("---\ntitle: Coba\nminutes: 15\n---\n# Judul\n\n<script>alert(1)</script>\n\n![Alur](img/alur.png)\n\n"
            "```gift\n::x:: {=a\n```\n")
    response = client.post(f"/authoring/courses/{SLUG}/preview?lang=en", json={"path": "01-bagian-1.md", "text": text},
                           headers={"X-CSRFToken": token})
    body = response.get_json()
    assert "<h1" in body["html"] and "<script" not in body["html"] and "alert(1)" not in body["html"]
    assert f'src="/authoring/courses/{SLUG}/files/img/alur.png"' in body["html"]
    assert any(problem.startswith(f"{SLUG}/01-bagian-1.md:12: ") for problem in body["problems"]), body
    assert client.get(f"/authoring/courses/{SLUG}/files/img/alur.png").data == PNG

    # Without JavaScript, the Preview button renders the same on the server and saves nothing.
    before = draft_files(app)["01-bagian-1.md"]
    shown = post(client, f"/authoring/courses/{SLUG}/edit/01-bagian-1.md?lang=en", {"text": text, "preview": "1"})
    rendered = shown.get_data(as_text=True).split("data-preview>")[1]
    assert shown.status_code == 200 and "<h1" in rendered and "alert(1)" not in rendered
    assert draft_files(app)["01-bagian-1.md"] == before


def test_a_course_kept_out_of_the_catalogue_is_open_only_to_its_trainers_and_admins(app, trainer, learner, admin):
    client = signed_in(app, trainer)
    post(client, "/authoring/new", NEW_COURSE)
    post(client, "/authoring/courses/layanan-prima/publish", {"hidden": "y"})
    assert course_row(app, "layanan-prima").status == "draft"
    learner_client = signed_in(app, learner)
    assert "Layanan Prima" not in page(learner_client, "/courses")
    assert learner_client.get("/courses/layanan-prima").status_code == 404
    assert post(learner_client, "/courses/layanan-prima/enroll").status_code == 404
    assert client.get("/courses/layanan-prima").status_code == 200
    assert signed_in(app, admin).get("/courses/layanan-prima").status_code == 200

    post(client, "/authoring/courses/layanan-prima/draft")
    post(client, "/authoring/courses/layanan-prima/publish")
    assert course_row(app, "layanan-prima").status == "published"
    assert learner_client.get("/courses/layanan-prima").status_code == 200


def test_folder_import_skips_courses_published_on_the_web_unless_forced(app, runner, admin, make_course, tmp_path):
    files = course_files()
    make_course(files=files)
    folder = tmp_path / SLUG
    for path, content in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)
    (folder / "01-bagian-1.md").write_bytes(files["01-bagian-1.md"].replace(b"Pelajaran 1", b"Dari folder"))

    client = signed_in(app, admin)
    post(client, f"/authoring/courses/{SLUG}/draft")
    post(client, f"/authoring/courses/{SLUG}/publish")
    assert course_row(app).source == "web"

    skipped = runner.invoke(args=["courses", "import", str(folder)])
    assert skipped.exit_code == 0 and "--force" in skipped.output
    assert count(app, CourseVersion) == 1
    forced = runner.invoke(args=["courses", "import", "--force", str(folder)])
    assert forced.exit_code == 0, forced.output
    assert count(app, CourseVersion) == 2 and course_row(app).source == "folder"


def test_course_md_fields_round_trip_through_the_settings_form():
    meta = {"id": "x", "title": "Nilai: Dasar", "summary": "S", "jp": 1.5, "competency": "teknis",
            "tags": ["a", "b"], "passing_score": 75, "authors": ["Dra. A: B", "C"], "organiser": "O", "extra": 1}
    text = sources.course_md(meta, "Deskripsi.")
    read_meta, description = sources.read_course_md(text)
    assert read_meta == meta and description == "Deskripsi."
    assert sources.meta_from_settings(sources.settings_values(meta), meta) == meta
    assert sources.meta_from_settings({"jp": "dua", "title": ""}, meta)["jp"] == "dua"


def test_links_follow_renumbered_lessons_only_where_they_are_links():
    renames = sources.renumbered([("03-c.md", "c"), ("01-a.md", "a")])
    assert renames == {"03-c.md": "01-c.md", "01-a.md": "02-a.md"}
    text = "See [c](03-c.md), [a](./01-a.md#x) and 03-c.md in prose.\n[ref]: 03-c.md\n"
    assert sources.rewrite_links(text, renames) == (
        "See [c](01-c.md), [a](./02-a.md#x) and 03-c.md in prose.\n[ref]: 01-c.md\n")
