"""Completions reported to a Learning Record Store: the statements, and their delivery to a
small real LRS on 127.0.0.1 that accepts, fails, answers too late or claims a conflict."""
from __future__ import annotations

import base64
import json
import socket
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from elearn import create_app
from elearn.extensions import db
from elearn.learn.attempts import start_attempt, submit_attempt
from elearn.learn.completion import complete_if_done, has_quiz
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import Course, OutboxMessage, User
from elearn.xapi.delivery import Lrs, pause_after, push
from elearn.xapi.statements import build, iso_duration

BASE = "https://elearning.pematangsiantarkota.example.go.id"
NIP = "198503122010011002"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
TIMEOUT = 0.5
# How long the "slow" LRS takes to answer: far beyond the timeout, so that a push that returns
# before it has given up rather than waited, even on a busy machine.
SLOW_ANSWER = TIMEOUT * 10
RIGHT = MultiDict({"q-nilai": "0", "q-nilai-shown": "1", "q-jam-buka": "8", "q-jam-buka-shown": "1"})


class FakeLrs(ThreadingHTTPServer):
    """Stores statements by id as the xAPI spec asks: a POST with an id it already holds is
    refused with 409, and ``GET /statements?statementId=`` answers whether it holds one.

    ``mode``: "accept"; "fail" (HTTP 500); "slow" (stores, then answers after the client's
    timeout: a lost acknowledgement); "conflict" (409 without holding anything).
    """

    def __init__(self):
        super().__init__(("127.0.0.1", 0), LrsHandler)
        self.mode = "accept"
        self.requests: list[tuple[str, str, object, object]] = []
        self.stored: dict[str, dict] = {}
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/xapi"

    def posted(self) -> list[list[dict]]:
        return [body for method, _path, _headers, body in self.requests if method == "POST"]


class LrsHandler(BaseHTTPRequestHandler):
    server: FakeLrs

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(("POST", self.path, self.headers, body))
        if self.server.mode == "fail":
            return self._answer(500, {"error": "database down"})
        if self.server.mode == "conflict" or not self._store(body):
            return self._answer(409, {"error": "statement id already exists"})
        if self.server.mode == "slow":
            time.sleep(SLOW_ANSWER)
        self._answer(200, [statement["id"] for statement in body])

    def do_GET(self):
        self.server.requests.append(("GET", self.path, self.headers, None))
        wanted = parse_qs(urlsplit(self.path).query).get("statementId", [""])[0]
        statement = self.server.stored.get(wanted)
        self._answer(200, statement) if statement else self._answer(404, {"error": "not found"})

    def _store(self, statements: list[dict]) -> bool:
        with self.server.lock:
            if any(statement["id"] in self.server.stored for statement in statements):
                return False
            self.server.stored.update({statement["id"]: statement for statement in statements})
            return True

    def _answer(self, status: int, document) -> None:
        data = json.dumps(document).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the slow mode's client has given up waiting, as the test intends

    def log_message(self, format, *args):
        pass  # keep the test output to the tests


@pytest.fixture
def lrs(app):
    server = FakeLrs()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    app.config.update(XAPI_LRS_URL=server.url, XAPI_LRS_USERNAME="elearn", XAPI_LRS_PASSWORD="rahasia",
                      XAPI_TIMEOUT=TIMEOUT, BASE_URL=BASE, BABEL_DEFAULT_LOCALE="en")
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def learner(make_user, make_course):
    make_course()
    make_course("tanpa-kuis", quiz=False)
    return make_user(nip=NIP, name="Budi Santoso")


def complete(app, user: User, slug: str = "etika-pelayanan", at: datetime = NOW - timedelta(hours=1),
             took: timedelta = timedelta(days=2, hours=2, minutes=30)) -> None:
    """Enrol, finish every lesson and pass the quiz (if any) through the app's own operations."""
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        enrolment = enrol(db.session.get(User, user.id), course)
        enrolment.enrolled_at = at - took
        for lesson in course.active_lessons:
            complete_lesson(enrolment, lesson, at)
        if has_quiz(enrolment):
            submit_attempt(start_attempt(enrolment, at), RIGHT, at)
        else:
            complete_if_done(enrolment, at)
        db.session.commit()


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def statements_of(app, message: OutboxMessage) -> list[dict]:
    with app.app_context():
        return build(db.session.get(OutboxMessage, message.id), BASE)


def run_push(app, now: datetime = NOW):
    with app.app_context():
        return push(now, Lrs.from_config(app.config), app.config["BASE_URL"])


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/xapi"


def test_a_completion_with_a_quiz_is_completed_and_passed_without_the_nip(app, learner):
    complete(app, learner)
    [message] = outbox(app)
    completed, passed = statements_of(app, message)

    with app.app_context():
        opaque_id = db.session.get(User, learner.id).opaque_id
    for statement in (completed, passed):
        assert statement["actor"] == {"objectType": "Agent", "account": {"homePage": BASE, "name": opaque_id}}
        assert statement["object"] == {
            "objectType": "Activity",
            "id": f"{BASE}/courses/etika-pelayanan",
            "definition": {"name": {"id-ID": "Etika Pelayanan di Kantor Kelurahan"},
                           "type": "http://adlnet.gov/expapi/activities/course"},
        }
        assert statement["version"] == "1.0.3"
        assert statement["context"]["platform"] == "elearn"
        assert datetime.fromisoformat(statement["timestamp"]) == NOW - timedelta(hours=1)
        assert statement["result"]["duration"] == "PT50H30M"
        assert uuid.UUID(statement["id"]).version == 5
    assert (completed["verb"]["id"], passed["verb"]["id"]) == (COMPLETED, PASSED)
    assert completed["result"] == {"completion": True, "duration": "PT50H30M"}
    assert passed["result"]["success"] is True and passed["result"]["completion"] is True
    assert passed["result"]["score"] == {"scaled": 1.0, "raw": 100, "min": 0, "max": 100}
    text = json.dumps([completed, passed])
    assert NIP not in text and "Budi" not in text


def test_statement_ids_are_the_same_on_every_build_and_differ_between_messages(app, learner, make_user):
    complete(app, learner)
    complete(app, make_user(), "tanpa-kuis")
    first, second = outbox(app)

    ids = [s["id"] for s in statements_of(app, first)]
    assert ids == [s["id"] for s in statements_of(app, first)]
    assert len(set(ids)) == 2
    assert not set(ids) & {s["id"] for s in statements_of(app, second)}


def test_a_course_without_quiz_is_only_completed(app, learner):
    complete(app, learner, "tanpa-kuis")
    [statement] = statements_of(app, outbox(app)[0])
    assert statement["verb"]["id"] == COMPLETED
    assert statement["object"]["id"] == f"{BASE}/courses/tanpa-kuis"
    assert "score" not in statement["result"]


@pytest.mark.parametrize(("elapsed", "expected"), [
    (timedelta(0), "PT0S"),
    (timedelta(seconds=90.7), "PT1M30S"),
    (timedelta(days=3), "PT72H"),
    (timedelta(hours=1, seconds=5), "PT1H5S"),
    (timedelta(seconds=-3), "PT0S"),
])
def test_durations_are_iso_8601(elapsed, expected):
    assert iso_duration(elapsed) == expected


def test_the_pause_doubles_from_a_minute_up_to_a_day():
    assert [pause_after(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert pause_after(11) == timedelta(minutes=1024)
    assert pause_after(12) == timedelta(days=1)
    assert pause_after(1000) == timedelta(days=1)


def test_push_posts_the_statements_and_marks_them_sent_once(app, lrs, learner):
    complete(app, learner)
    [message] = outbox(app)

    report = run_push(app)

    assert (report.sent, report.failed, report.waiting) == (1, 0, 0)
    [(method, path, headers, body)] = lrs.requests
    assert (method, path) == ("POST", "/xapi/statements")
    assert headers["X-Experience-API-Version"] == "1.0.3"
    assert headers["Content-Type"] == "application/json"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"elearn:rahasia").decode()
    assert body == statements_of(app, message)
    [sent] = outbox(app)
    assert (sent.sent_at, sent.attempts, sent.last_error) == (NOW, 0, None)

    assert run_push(app, NOW + timedelta(hours=1)).sent == 0
    assert len(lrs.requests) == 1


@pytest.mark.parametrize("down", ["fail", "refused"])
def test_a_down_lrs_loses_nothing_and_is_retried_after_a_growing_pause(app, lrs, learner, make_user, down):
    complete(app, learner)
    complete(app, make_user(), "tanpa-kuis")
    lrs.mode = "fail"
    if down == "refused":
        app.config["XAPI_LRS_URL"] = closed_port_url()

    report = run_push(app)

    assert (report.sent, report.failed, report.waiting) == (0, 2, 2)
    for message in outbox(app):
        assert (message.sent_at, message.attempts, message.next_attempt_at) == (None, 1, NOW + timedelta(minutes=1))
        assert ("HTTP 500 Internal Server Error" if down == "fail" else "Connection refused") in message.last_error
    requests_so_far = len(lrs.requests)
    assert run_push(app, NOW + timedelta(seconds=30)).failed == 0
    assert len(lrs.requests) == requests_so_far

    later = NOW + timedelta(minutes=1)
    assert run_push(app, later).failed == 2
    assert {m.next_attempt_at for m in outbox(app)} == {later + timedelta(minutes=2)}

    lrs.mode = "accept"
    app.config["XAPI_LRS_URL"] = lrs.url
    report = run_push(app, later + timedelta(minutes=2))
    assert (report.sent, report.failed, report.waiting) == (2, 0, 0)
    assert len(lrs.stored) == 3


def test_a_timeout_is_a_failure_and_the_retry_sends_the_same_statements(app, lrs, learner):
    complete(app, learner)
    lrs.mode = "slow"

    started = time.monotonic()
    report = run_push(app)
    assert time.monotonic() - started < SLOW_ANSWER
    assert (report.sent, report.failed) == (0, 1)
    [message] = outbox(app)
    assert message.sent_at is None and message.attempts == 1
    assert "timed out" in message.last_error

    # The LRS did store them; only its answer was lost. The retry is refused as a duplicate,
    # and the statements are found under the same ids.
    lrs.mode = "accept"
    report = run_push(app, NOW + timedelta(minutes=1))
    assert (report.sent, report.failed, report.waiting) == (1, 0, 0)
    first, again = lrs.posted()
    assert [s["id"] for s in first] == [s["id"] for s in again]
    assert len(lrs.stored) == 2
    assert [m for m, *_ in lrs.requests] == ["POST", "POST", "GET", "GET"]


def test_a_conflict_over_statements_the_lrs_does_not_hold_is_a_failure(app, lrs, learner):
    complete(app, learner)
    lrs.mode = "conflict"

    assert run_push(app).failed == 1
    [message] = outbox(app)
    assert message.sent_at is None
    assert message.last_error.startswith("HTTP 409, and statement ")


def test_a_message_that_cannot_be_built_does_not_block_the_others(app, lrs, learner):
    with app.app_context():
        db.session.add(OutboxMessage(kind="course.completed", payload={
            "enrolment_id": 999_999, "user_id": learner.id, "course": "hilang", "version": 1,
            "certificate": "0000/ELEARN/2026", "score": None, "completed_at": NOW.isoformat(),
        }))
        db.session.add(OutboxMessage(kind="siasn.course", payload={}))
        db.session.commit()
    complete(app, learner)

    report = run_push(app)

    assert (report.sent, report.failed, report.waiting) == (1, 1, 1)
    broken, other_kind, completion = outbox(app)
    assert broken.last_error == "enrolment 999999 no longer exists" and broken.attempts == 1
    assert (other_kind.sent_at, other_kind.attempts) == (None, 0)
    assert completion.sent_at == NOW


def test_cli_without_an_lrs_says_so_and_touches_nothing(app, lrs, learner):
    complete(app, learner)
    app.config["XAPI_LRS_URL"] = ""

    result = app.test_cli_runner().invoke(args=["xapi", "push"])

    assert result.exit_code == 0
    assert "No LRS is configured" in result.output
    assert lrs.requests == []
    [message] = outbox(app)
    assert (message.sent_at, message.attempts) == (None, 0)


def test_cli_reports_counts_and_fails_when_a_delivery_failed(app, lrs, learner, make_user):
    runner = app.test_cli_runner()
    complete(app, learner)
    sent = runner.invoke(args=["xapi", "push"])
    assert sent.exit_code == 0, sent.output
    assert "1 sent, 0 failed, 0 waiting" in sent.output

    complete(app, make_user(), "tanpa-kuis")
    lrs.mode = "fail"
    failed = runner.invoke(args=["xapi", "push"])
    assert failed.exit_code == 1
    assert "0 sent, 1 failed, 1 waiting" in failed.output


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ELEARN_BASE_URL", "https://elearning.example.go.id/")
    monkeypatch.setenv("ELEARN_XAPI_LRS_URL", "https://lrs.example.go.id/xapi/")
    monkeypatch.setenv("ELEARN_XAPI_LRS_USERNAME", "kunci")
    monkeypatch.setenv("ELEARN_XAPI_LRS_PASSWORD", "rahasia")
    monkeypatch.setenv("ELEARN_XAPI_TIMEOUT", "3")

    assert Lrs.from_config(create_app().config) == Lrs("https://lrs.example.go.id/xapi", "kunci", "rahasia", 3)
    assert create_app().config["BASE_URL"] == "https://elearning.example.go.id"
