"""Offline learning, on the server's side: the installable app's files, the course package a
browser downloads, and the sync of what a learner did offline (each action once, judged by
the rules that apply online). The browser's side is tests/browser/test_offline.py."""
import io
import json
import threading
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learn.offline import PURPOSE_HEADER
from elearn.learn.progress import VIEW_CAP
from elearn.models import (
    Certificate,
    CheckAnswer,
    Enrolment,
    Lesson,
    LessonProgress,
    OfflineAction,
    RecordEntry,
)
from elearn.timeutil import utcnow
from tests.coursefiles import course_files
from tests.html import csrf_token
from tests.test_learning import SLUG, enrol, learner  # noqa: F401  (fixture)

SYNC = "/offline/sync"


def session_token(client) -> str:
    response = client.get("/offline/session")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return response.get_json()["csrf_token"]


def send(client, *actions, token=None):
    return client.post(SYNC, json={"actions": list(actions)},
                       headers={"X-CSRFToken": token or session_token(client)})


def version(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Enrolment)).course.current_version_id


def action(kind, lesson="bagian-1", key=None, at=None, **extra):
    at = at or utcnow()
    return {"key": key or f"{kind}-{lesson}-{at.timestamp():.0f}-key", "kind": kind, "course": SLUG,
            "lesson": lesson, "at": at.isoformat(), **extra}


def rows(app, model, *where):
    with app.app_context():
        return db.session.scalars(select(model).where(*where)).all()


def progress_by_lesson(app) -> dict:
    with app.app_context():
        return {slug: row for row, slug in db.session.execute(select(LessonProgress, Lesson.slug).join(Lesson))}


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# The installable app.
def test_the_manifest_makes_the_app_installable_with_its_own_icons(client, app):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "elearn ASN Kota Pematangsiantar" and manifest["short_name"] == "elearn"
    assert manifest["description"] == "Pengembangan kompetensi ASN Kota Pematangsiantar"
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/" and manifest["lang"] == "id"
    sizes = set()
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/icons/")
        with client.get(icon["src"]) as image:
            assert image.status_code == 200 and image.mimetype == "image/png"
            width, height = Image.open(io.BytesIO(image.data)).size
        assert f"{width}x{height}" == icon["sizes"]
        sizes.add((width, icon["purpose"]))
    # What Chromium asks for to offer installing: 192 and 512 px; Android's masks want a maskable one.
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= sizes


def test_every_page_links_the_manifest_and_the_offline_script(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'src="/static/js/offline.js"' in page and 'data-worker="/sw.js"' in page


def test_the_service_worker_is_served_from_the_root_and_always_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.get_data(as_text=True)
    settings = json.loads(source.split("\n", 1)[0].removeprefix("var SETTINGS = ").removesuffix(";"))
    # Everything the shell lists is there to be kept.
    for url in settings["shell"]:
        with client.get(url) as kept:
            assert kept.status_code == 200, url
    assert {"/offline", "/offline/quiz", "/static/css/app.css", "/static/js/offline.js"} <= set(settings["shell"])
    assert len(settings["version"]) == 16 and "addEventListener(\"fetch\"" in source


def test_the_worker_version_follows_the_shell(app, tmp_path):
    from elearn.offline.routes import SHELL_STATIC, _shell_files, _version

    with app.app_context():
        hashed = _shell_files()
    # Every file the shell keeps is in the hash, and every one exists.
    assert {path.name for path in hashed} >= {"sw.js", "base.html", "page.html", "messages.mo",
                                              *(name.rsplit("/", 1)[-1] for name in SHELL_STATIC)}
    assert all(path.is_file() for path in hashed)

    first = tmp_path / "app.css"
    first.write_text("body {}")
    before = _version((first,))
    changed = tmp_path / "app2.css"
    changed.write_text("body { color: red }")
    assert _version((changed,)) != before and _version((first,)) == before


@pytest.mark.parametrize(("path", "words"), [
    ("/offline", "Halaman ini memerlukan koneksi"),
    ("/offline/quiz", "Kuis yang dinilai hanya dapat dikerjakan secara online"),
])
def test_the_offline_notices_need_no_account_and_show_no_menu(client, learner, path, words):  # noqa: F811
    page = client.get(path).get_data(as_text=True)
    assert "Anda sedang offline" in page and words in page
    # Kept by the service worker for everyone on this browser: nothing of the person in it.
    assert "Menu utama" not in page and "data-user" not in page and "Keluar" not in page


# The course package.
def test_the_package_lists_the_course_its_lessons_and_files_with_their_size(app, client, learner):  # noqa: F811
    assert client.get(f"/courses/{SLUG}/offline").status_code == 404
    enrol(client)
    package = client.get(f"/courses/{SLUG}/offline").get_json()
    assert package["course"] == SLUG and package["version"] == version(app)
    assert package["urls"] == [f"/courses/{SLUG}", f"/courses/{SLUG}/lessons/bagian-1",
                               f"/courses/{SLUG}/lessons/bagian-2", f"/courses/{SLUG}/files/img/alur.png"]
    fetched = sum(len(client.get(url, headers={PURPOSE_HEADER: "offline"}).data) for url in package["urls"])
    # The size shown before the download is not less than what the download takes.
    assert fetched <= package["bytes"] <= 2 * fetched
    course_page = client.get(f"/courses/{SLUG}").get_data(as_text=True)
    assert "Unduh untuk dibaca offline (sekitar" in course_page and 'data-offline-course="etika-pelayanan"' in course_page


def test_a_downloaded_lesson_is_no_visit_and_says_it_is_a_copy(app, client, learner):  # noqa: F811
    enrol(client)
    copy = client.get(f"/courses/{SLUG}/lessons/bagian-1", headers={PURPOSE_HEADER: "offline"})
    assert copy.status_code == 200 and "data-offline-copy" in copy.get_data(as_text=True)
    assert rows(app, LessonProgress) == []
    with app.app_context():
        assert db.session.scalar(select(Enrolment.last_activity_at)) is None
    visit = client.get(f"/courses/{SLUG}/lessons/bagian-1").get_data(as_text=True)
    assert "data-offline-copy" not in visit and len(rows(app, LessonProgress)) == 1


# Sync.
def enrolled_an_hour_ago(app):
    with app.app_context():
        db.session.scalar(select(Enrolment)).enrolled_at = utcnow() - timedelta(hours=1)
        db.session.commit()


def test_offline_completions_count_once_however_often_the_queue_is_sent(app, client, learner):  # noqa: F811
    enrol(client)
    enrolled_an_hour_ago(app)
    start = utcnow() - timedelta(minutes=20)
    queue = [action("view", "bagian-1", at=start, version=version(app)),
             action("complete", "bagian-1", at=start + timedelta(minutes=4), version=version(app)),
             action("view", "bagian-2", at=start + timedelta(minutes=4), version=version(app)),
             action("complete", "bagian-2", at=start + timedelta(minutes=30), version=version(app))]
    first = send(client, *queue)
    assert first.status_code == 200
    assert [r["status"] for r in first.get_json()["results"]] == ["applied"] * 4
    again = send(client, *queue)
    assert [r["status"] for r in again.get_json()["results"]] == ["duplicate"] * 4
    progress = progress_by_lesson(app)
    assert set(progress) == {"bagian-1", "bagian-2"} and all(row.completed_at for row in progress.values())
    # 4 minutes on the first lesson; the second one's time is capped, as online; the future
    # time (30 minutes after a start 20 minutes ago) is taken as now.
    assert progress["bagian-1"].active_seconds == 240
    assert progress["bagian-2"].active_seconds == VIEW_CAP.total_seconds()
    assert progress["bagian-2"].completed_at <= utcnow()
    assert count(app, OfflineAction) == 4
    # The course has a quiz: lessons done offline do not complete it.
    assert count(app, Certificate) == 0


def test_the_last_lesson_done_offline_completes_a_course_without_quiz(app, client, make_user, make_course, auth):
    make_course("tanpa-kuis", files=course_files("tanpa-kuis", lessons=1, quiz=False))
    user = make_user(nip="199001012015031001")
    auth.login(user.nip)
    token = csrf_token(client.get("/courses/tanpa-kuis"))
    client.post("/courses/tanpa-kuis/enroll", data={"csrf_token": token})
    done = {**action("complete", "bagian-1", key="selesai-tanpa-kuis"), "course": "tanpa-kuis"}
    result = send(client, done).get_json()["results"][0]
    assert result["status"] == "applied" and "sertifikat Anda sudah siap" in result["message"]
    assert count(app, Certificate) == 1 and count(app, RecordEntry) == 1
    assert send(client, done).get_json()["results"][0]["status"] == "duplicate"
    assert count(app, Certificate) == 1


def test_a_view_older_than_the_last_one_credits_nothing(app, client, learner):  # noqa: F811
    enrol(client)
    client.get(f"/courses/{SLUG}/lessons/bagian-1")
    with app.app_context():
        last = db.session.scalar(select(Enrolment.last_activity_at))
    older = action("view", "bagian-2", at=last - timedelta(minutes=5), version=version(app))
    assert send(client, older).get_json()["results"][0]["status"] == "applied"
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
        assert enrolment.last_activity_at == last
        assert db.session.get(Lesson, enrolment.last_lesson_id).slug == "bagian-1"
    assert sum(row.active_seconds for row in rows(app, LessonProgress)) == 0


def test_a_check_answered_offline_is_graded_on_the_server(app, client, learner):  # noqa: F811
    enrol(client)
    right = action("check", check="cek-1", answer=["true"], version=version(app))
    assert send(client, right).get_json()["results"][0]["status"] == "applied"
    answer = rows(app, CheckAnswer)[0]
    assert answer.answer is True and answer.fraction == 1
    bad = action("check", key="jawaban-tidak-sah", check="cek-1", answer=["mungkin"], version=version(app))
    result = send(client, bad).get_json()["results"][0]
    assert result["status"] == "rejected" and result["message"]
    assert rows(app, CheckAnswer)[0].answer is True
    gone = action("check", key="cek-yang-hilang", check="cek-9", answer=["true"], version=version(app))
    result = send(client, gone).get_json()["results"][0]
    assert result["status"] == "rejected" and "diubah saat Anda offline" in result["message"]


def test_a_course_changed_while_offline_is_explained(app, client, learner, make_course):  # noqa: F811
    enrol(client)
    old = version(app)
    # The new version drops the second lesson and rewrites the first.
    files = course_files(SLUG, lessons=1)
    files["01-bagian-1.md"] = files["01-bagian-1.md"].replace(b"pukul 08.00", b"pukul 07.30")
    make_course(SLUG, files=files)
    assert version(app) != old
    kept = send(client, action("complete", "bagian-1", version=old)).get_json()["results"][0]
    assert kept["status"] == "applied" and kept["stale"] is True
    dropped = send(client, action("complete", "bagian-2", version=old)).get_json()["results"][0]
    assert dropped["status"] == "rejected" and dropped["stale"] is False
    assert "tidak lagi menjadi bagian" in dropped["message"] and "Unduh kursus itu lagi" in dropped["message"]
    assert list(progress_by_lesson(app)) == ["bagian-1"]


def test_a_course_one_is_not_enrolled_in_is_refused(app, client, learner):  # noqa: F811
    result = send(client, action("complete", version=None)).get_json()["results"][0]
    assert result["status"] == "rejected" and "tidak terdaftar" in result["message"]
    assert rows(app, LessonProgress) == [] and rows(app, OfflineAction)[0].status == "rejected"


def valid(**changes):
    return {"key": "a-valid-key", "kind": "view", "course": SLUG, "lesson": "bagian-1",
            "at": "2026-12-07T00:00:00Z", **changes}


@pytest.mark.parametrize("payload", [
    None, [], {"actions": []}, {"actions": "x"}, {"actions": [valid(key=f"key-number-{n}") for n in range(201)]},
])
def test_a_sync_that_is_no_list_of_actions_is_refused_whole(app, client, learner, payload):  # noqa: F811
    enrol(client)
    response = client.post(SYNC, data=json.dumps(payload), content_type="application/json",
                           headers={"X-CSRFToken": session_token(client)})
    assert response.status_code == 400 and response.get_json()["error"]
    assert rows(app, OfflineAction) == [] and rows(app, LessonProgress) == []


@pytest.mark.parametrize("malformed", [
    1, valid(key="short"), valid(kind="delete"), valid(course="../x"), valid(lesson=""), valid(at="kemarin"),
    valid(at="2026-12-07T00:00:00"), valid(kind="check", check="cek-1", answer=[1]), valid(kind="check"),
])
def test_a_malformed_action_is_rejected_alone_and_the_rest_applied(app, client, learner, malformed):  # noqa: F811
    enrol(client)
    good = action("complete", version=version(app))
    results = send(client, malformed, good).get_json()["results"]
    assert results[0]["status"] == "rejected" and results[0]["message"]
    assert results[1] == {"key": good["key"], "status": "applied", "message": None, "stale": False}
    assert [row.key for row in rows(app, OfflineAction)] == [good["key"]] and len(rows(app, LessonProgress)) == 1


def test_offline_reading_sent_after_an_online_visit_is_credited_between_its_own_views(app, client, learner):  # noqa: F811
    enrol(client)
    enrolled_an_hour_ago(app)
    start = utcnow() - timedelta(minutes=30)
    queue = [action("view", "bagian-1", at=start), action("view", "bagian-2", at=start + timedelta(minutes=3)),
             action("complete", "bagian-2", at=start + timedelta(minutes=5))]
    # Back online, the learner opens a lesson before the queue is sent.
    client.get(f"/courses/{SLUG}/lessons/bagian-1")
    assert [r["status"] for r in send(client, *queue).get_json()["results"]] == ["applied"] * 3
    progress = progress_by_lesson(app)
    assert progress["bagian-1"].active_seconds == 180 and progress["bagian-2"].active_seconds == 120
    # Sent again, nothing more is credited.
    send(client, *queue)
    assert progress_by_lesson(app)["bagian-1"].active_seconds == 180


def test_a_key_written_by_another_request_meanwhile_makes_a_duplicate(app, client, learner, monkeypatch):  # noqa: F811
    """The unique key, not the first look, is what keeps an action to one: a second request
    that looked before the first committed fails on the key, and its effect is rolled back."""
    from elearn.learn import sync

    enrol(client)
    done = action("complete", version=version(app))
    assert send(client, done).get_json()["results"][0]["status"] == "applied"
    looks = []
    real_seen = sync._seen
    monkeypatch.setattr(sync, "_seen", lambda user_id, key: bool(looks.append(key)) or (
        len(looks) > 1 and real_seen(user_id, key)))
    assert send(client, done).get_json()["results"][0]["status"] == "duplicate"
    assert len(looks) == 2 and count(app, OfflineAction) == 1 and len(rows(app, LessonProgress)) == 1


def test_an_ended_session_is_told_and_nothing_is_written(app, client, learner):  # noqa: F811
    enrol(client)
    token = session_token(client)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    assert client.get("/offline/session").get_json() == {"user": None, "csrf_token": None}
    # The old token belongs to the ended session: refused before anything is read.
    assert send(client, action("complete"), token=token).status_code == 400
    # A sync that comes without a session (a valid token, from the log-in page) is told in JSON.
    refused = send(client, action("complete"), token=csrf_token(client.get("/login")))
    assert refused.status_code == 401 and refused.get_json()["error"] == "Sesi Anda telah berakhir. Silakan masuk lagi."
    assert rows(app, OfflineAction) == []


def test_two_tabs_sending_the_same_queue_at_once_count_it_once(app, client, learner):  # noqa: F811
    enrol(client)
    queue = [action("view", version=version(app), at=utcnow() - timedelta(minutes=3)),
             action("complete", version=version(app))]
    token = session_token(client)
    barrier = threading.Barrier(2)
    statuses = []

    def tab():
        barrier.wait()
        reply = send(client, *queue, token=token)
        statuses.append([r["status"] for r in reply.get_json()["results"]])

    threads = [threading.Thread(target=tab) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(s for result in statuses for s in result) == ["applied", "applied", "duplicate", "duplicate"]
    assert count(app, OfflineAction) == 2 and len(rows(app, LessonProgress)) == 1
