"""Rate limits hold across gunicorn workers: the real server, 3 worker processes, Redis.

With ``memory://`` every worker counts for itself, so a 5/min limit lets through up to 5 per
worker (DESIGN §7: 14 of 5 with 4 workers). These tests serve the app the way ``make run``
does and check that each limit lets through exactly its number of requests in all, while the
access log shows that more than one worker answered them.
"""
from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from elearn import create_app
from elearn.accounts.operations import create_user
from elearn.api.tokens import create_token
from elearn.certificates.issuing import issue_certificate
from elearn.courses.importer import import_course
from elearn.courses.loader import load
from elearn.extensions import db
from elearn.models import Course, Enrolment
from elearn.timeutil import utcnow
from tests.conftest import PASSWORD, _empty_tables, _test_config
from tests.coursefiles import course_files
from tests.html import _CSRF

redis = pytest.importorskip("redis")

pytestmark = pytest.mark.services

WORKERS = 3
REDIS_URL = "redis://127.0.0.1:6379/0"
GUNICORN = Path(sys.executable).with_name("gunicorn")
# Upper bounds, so that a server that never comes up fails the test instead of hanging it.
START_TIMEOUT = 30
REQUEST_TIMEOUT = 10
LEARNER = "198503122010011002"
# An account with a NIP and an e-mail address, for the limit that counts both as one.
TWO_NAMES = ("199001152015032004", "siti@pemko.example.go.id")
WRONG_PASSWORD = "salah-sekali-123"
SLUG = "etika-pelayanan"


@pytest.fixture(scope="module")
def redis_server():
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        server.close()
        # CI sets ELEARN_REQUIRE_SERVICES: there a missing Redis is a failure, not a skip.
        if os.environ.get("ELEARN_REQUIRE_SERVICES"):
            pytest.fail(f"no Redis server at {REDIS_URL}")
        pytest.skip(f"no Redis server at {REDIS_URL}")
    yield server
    server.close()


@pytest.fixture(scope="module")
def key_prefix(redis_server):
    """A prefix of our own, so that the test neither reads nor deletes anyone else's keys."""
    prefix = f"elearn-test-{uuid.uuid4().hex}"
    yield prefix
    for key in redis_server.scan_iter(f"*{prefix}*"):
        redis_server.delete(key)


@pytest.fixture(scope="module")
def seeded(database_url):
    """A learner with a certificate (for /verify) and an admin's API token, on the suite's
    migrated test database, which the server's workers then share. One server for the module:
    starting three workers costs seconds, and each test uses a limit of its own."""
    app = create_app(_test_config(database_url))
    with app.app_context():
        try:
            learner = create_user(None, name="Budi Santoso", nip=LEARNER, password=PASSWORD)
            create_user(None, name="Siti Aminah", nip=TWO_NAMES[0], email=TWO_NAMES[1], password=PASSWORD)
            admin = create_user(None, name="Admin Kota", email="admin@pemko.example.go.id", roles=("admin",))
            import_course(load(course_files(SLUG), SLUG, f"courses/{SLUG}"))
            course = db.session.scalar(select(Course).where(Course.slug == SLUG))
            now = utcnow()
            enrolment = Enrolment(user_id=learner.id, course_id=course.id, enrolled_at=now, completed_at=now,
                                  final_score=90.0)
            db.session.add(enrolment)
            db.session.flush()
            code = issue_certificate(enrolment, course.current_version, now).code
            _, secret = create_token(admin, "SIMPEG")
            db.session.commit()
            yield {"code": code, "token": secret}
        finally:
            db.session.remove()
            _empty_tables()
            db.engine.dispose()


class Server:
    """gunicorn serving ``create_app`` with the given settings; its access log names the
    worker (pid) that answered each request."""

    def __init__(self, database_url: str, instance_path: Path, key_prefix: str):
        self.pids_by_path: dict[str, list[int]] = {}
        self._lines: queue.Queue[str] = queue.Queue()
        overrides = {"RATELIMIT_KEY_PREFIX": key_prefix}
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "ELEARN_INSTANCE_PATH": str(instance_path),
            "SECRET_KEY": "workers-test-secret",
        }
        self.process = subprocess.Popen(
            [str(GUNICORN), "--workers", str(WORKERS), "--bind", "127.0.0.1:0",
             "--access-logfile", "-", "--access-logformat", "ACCESS %(p)s %(m)s %(s)s %(U)s",
             f"elearn:create_app({overrides!r})"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        try:
            self.url = self._wait_until_listening()
            self._wait_until_answering()
        except BaseException:
            self.stop()
            raise

    def _read_output(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line)
            if match := re.search(r"ACCESS <?(\d+)>? (\w+) (\d+) (\S+)", line):
                pid, method, _status, path = match.groups()
                self.pids_by_path.setdefault(f"{method} {path}", []).append(int(pid))

    def _wait_until_listening(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            seen.append(line)
            if match := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line):
                return match.group(1)
        raise AssertionError("gunicorn did not start:\n" + "".join(seen))

    def _wait_until_answering(self) -> None:
        """Each worker loads the app after it forks; wait until all of them have said so."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            with ThreadPoolExecutor(WORKERS * 2) as pool:
                list(pool.map(lambda _: status(self.url + "/healthz"), range(WORKERS * 4)))
            if len(set(self.pids_by_path.get("GET /healthz", []))) == WORKERS:
                return
        raise AssertionError(f"not all {WORKERS} workers answered within {START_TIMEOUT} s")

    def workers_for(self, request_prefix: str) -> set[int]:
        """The workers that answered requests starting with e.g. ``"POST /login"``."""
        time.sleep(0.2)  # the access log line is written just after the response
        return {pid for request, pids in self.pids_by_path.items() if request.startswith(request_prefix)
                for pid in pids}

    def stop(self) -> None:
        # SIGQUIT: gunicorn's quick shutdown; SIGTERM would wait for the graceful timeout.
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self._reader.join(timeout=5)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def server(seeded, database_url, tmp_path_factory, key_prefix):
    served = Server(database_url, tmp_path_factory.mktemp("instance"), key_prefix)
    try:
        yield served
    finally:
        served.stop()


def status(url: str, data: bytes | None = None, headers: dict | None = None, opener=None) -> int:
    """The status of one request on a new connection (urllib never reuses one)."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def in_parallel(call, times: int) -> list[int]:
    """Many connections at once: a sync worker busy with one leaves the next to another."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: call(), range(times)))


def test_wrong_passwords_are_counted_across_workers(server):
    """5 log-in attempts per account per minute, whichever worker sees them, even when all
    twelve are sent at the same moment: each is counted before its password is checked."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(server.url + "/login", timeout=REQUEST_TIMEOUT) as page:
        token = _CSRF.search(page.read().decode()).group(1)
    form = urlencode({"username": LEARNER, "password": WRONG_PASSWORD, "csrf_token": token}).encode()
    statuses = in_parallel(lambda: status(server.url + "/login", form, opener=opener), 12)
    assert sorted(statuses) == [200] * 5 + [429] * 7
    assert len(server.workers_for("POST /login")) > 1


def test_wrong_passwords_through_the_nip_and_the_email_share_one_count_across_workers(server):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(server.url + "/login", timeout=REQUEST_TIMEOUT) as page:
        token = _CSRF.search(page.read().decode()).group(1)
    forms = [urlencode({"username": TWO_NAMES[n % 2], "password": WRONG_PASSWORD, "csrf_token": token}).encode()
             for n in range(12)]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda form: status(server.url + "/login", form, opener=opener), forms))
    assert sorted(statuses) == [200] * 5 + [429] * 7
    assert len(server.workers_for("POST /login")) > 1


def test_certificate_verification_limit_is_shared_by_the_workers(server, seeded, redis_server, key_prefix):
    url = f"{server.url}/verify/{seeded['code']}"
    statuses = in_parallel(lambda: status(url), 45)
    assert statuses.count(200) == 30
    assert statuses.count(429) == 15
    assert len(server.workers_for("GET /verify/")) > 1
    # Counted under the test's own prefix, which the fixture deletes afterwards.
    assert list(redis_server.scan_iter(f"*{key_prefix}*"))


def test_api_limit_is_shared_by_the_workers(server, seeded):
    headers = {"Authorization": f"Bearer {seeded['token']}"}
    statuses = in_parallel(lambda: status(server.url + "/api/v1/courses", headers=headers), 135)
    assert statuses.count(200) == 120
    assert statuses.count(429) == 15
    assert len(server.workers_for("GET /api/v1/")) > 1

