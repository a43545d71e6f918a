"""A bounded load and crash test on 127.0.0.1 that stops by itself.

It builds a throw-away database (a new PostgreSQL database, or a temporary SQLite file), migrates
it, imports one small course with a quiz, seeds N learners, serves the app with gunicorn, and
lets N learners run through the course at once: log in, enrol, open and complete every lesson,
start the quiz and submit right answers. About one in five double-clicks: sends the enrolment,
the quiz start and the quiz submit twice at the same moment.
Midway one gunicorn worker is killed with SIGKILL; a learner whose request died with it retries
the step. Afterwards the database is read directly and every invariant is checked.

    .venv/bin/python -m tests.load.run_load --database-url postgresql://postgres@127.0.0.1:5432/postgres \\
        --workers 4 --learners 200
    .venv/bin/python -m tests.load.run_load --database-url sqlite --workers 2 --learners 40

Exit 0 when every invariant holds, 1 when one does not (each is printed), 2 on a time-out.
Gunicorn is always stopped and the database always dropped.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SLUG = "beban-uji"
LESSONS = 3
PASSWORD = "kata-sandi-rahasia-123"
FAST_HASH = "pbkdf2:sha256:1000"
RIGHT = {"q-nilai": "0", "q-nilai-shown": "1", "q-jam-buka": "8", "q-jam-buka-shown": "1"}
DOUBLE_CLICK_SHARE = 0.2
CLIENT_TIMEOUT = 60
RETRIES = 5
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
# What a request cut off by a dying worker looks like from the client.
CONNECTION_ERRORS = (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead,
                     http.client.BadStatusLine, socket.timeout)


class StepFailed(RuntimeError):
    pass


# --- the throw-away database -------------------------------------------------------------

class Database:
    """A fresh database: a new PostgreSQL database on the given server, or a SQLite temp file."""

    def __init__(self, server_url: str, workdir: Path):
        self.server_url = server_url
        self.name: str | None = None
        if server_url.startswith("sqlite"):
            self.url = f"sqlite:///{workdir / 'elearn.db'}"
        else:
            from sqlalchemy.engine import make_url

            self.name = f"elearn_load_{secrets.token_hex(6)}"
            self.url = make_url(server_url).set(drivername="postgresql+psycopg", database=self.name) \
                .render_as_string(hide_password=False)

    @property
    def dialect(self) -> str:
        return "sqlite" if self.name is None else "postgresql"

    def _admin(self, statement: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        conninfo = make_url(self.server_url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(statement)

    def create(self) -> None:
        if self.name:
            self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def app_env(database: Database, instance: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database.url,
        "ELEARN_INSTANCE_PATH": str(instance),
        "ELEARN_RATELIMIT": "false",
        "SECRET_KEY": "load-test-" + secrets.token_hex(16),
        "PYTHONPATH": str(ROOT),
    }


def flask(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([str(BIN / "flask"), "--app", "elearn", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def prepare(database: Database, env: dict[str, str], workdir: Path, learners: int) -> list[str]:
    """Migrate, import the course, seed the learners; their log-in names."""
    from tests.coursefiles import course_files

    flask(env, "db", "upgrade")
    folder = workdir / "courses" / SLUG
    for name, content in course_files(SLUG, lessons=LESSONS).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    flask(env, "courses", "import", str(workdir / "courses"))
    return seed_learners(database, env, learners)


def seed_learners(database: Database, env: dict[str, str], learners: int) -> list[str]:
    """Accounts made by the app's own operation, with a fast hash so seeding takes no time."""
    from elearn import create_app
    from elearn.accounts.operations import create_user
    from elearn.extensions import db

    saved = {key: os.environ.get(key) for key in ("ELEARN_INSTANCE_PATH", "DATABASE_URL")}
    os.environ.update({key: env[key] for key in saved})
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "PASSWORD_HASH_METHOD": FAST_HASH,
                          "SECRET_KEY": env["SECRET_KEY"]})
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    names = [f"peserta{n:04d}@pemko.example.go.id" for n in range(1, learners + 1)]
    with app.app_context():
        for n, email in enumerate(names, 1):
            create_user(None, name=f"Peserta Uji {n}", email=email, password=PASSWORD)
        db.session.commit()
        db.engine.dispose()
    return names


# --- gunicorn ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], workers: int, workdir: Path):
        self.port = free_port()
        self.workers = workers
        self.stderr_path = workdir / "gunicorn.err"
        self.access_path = workdir / "access.log"
        self._stderr = open(self.stderr_path, "wb")  # noqa: SIM115  (open while gunicorn runs)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--graceful-timeout", "5",
             "--access-logfile", str(self.access_path), "--access-logformat", "%(s)s %(m)s %(U)s",
             "wsgi:app"],
            cwd=ROOT, env=env, stdout=self._stderr, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.killed: list[int] = []
        self.victim_was_busy = False
        _STARTED.append(self.process.pid)

    def children(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The second field is "(comm)" and may hold spaces; the ppid follows the state after it.
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                found.append(int(entry.name))
        return found

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.stderr_path.read_text()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200 and len(self.children()) == self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def busy_workers(self) -> list[int]:
        """Workers holding an open client connection to our port: serving a request now."""
        connected = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == self.port and fields[3] == "01":  # ESTABLISHED
                connected.add(f"socket:[{fields[9]}]")
        busy = []
        for pid in self.children():
            try:
                fds = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
            except OSError:
                continue
            if fds & connected:
                busy.append(pid)
        return busy

    def kill_one_worker(self) -> int:
        """SIGKILL a worker, one in the middle of a request when one can be seen within 2 s."""
        deadline = time.monotonic() + 2
        busy = self.busy_workers()
        while not busy and time.monotonic() < deadline:
            time.sleep(0.005)
            busy = self.busy_workers()
        victim = random.choice(busy or self.children())
        self.victim_was_busy = bool(busy)
        os.kill(victim, signal.SIGKILL)
        self.killed.append(victim)
        return victim

    def replaced(self, seconds: float = 30) -> bool:
        """True when the master has as many workers as before, none of them a killed one."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            children = self.children()
            if len(children) == self.workers and not set(children) & set(self.killed):
                return True
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            workers = self.children()
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
            for pid in workers:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._stderr.close()


# --- the learners ------------------------------------------------------------------------

@dataclass
class Tally:
    """What every learner saw, shared between threads."""
    statuses: Counter = field(default_factory=Counter)
    retries: int = 0
    cut: int = 0
    requests: int = 0
    double_clicks: int = 0
    finished: int = 0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.requests += 1


class Browser:
    """One learner's cookies and requests; a new connection per request, as sync workers close them."""

    def __init__(self, port: int, tally: Tally):
        self.port = port
        self.tally = tally
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        headers = {"Accept": "text/html"}
        with self.lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except CONNECTION_ERRORS:
            with self.tally.lock:
                self.tally.cut += 1
            raise
        finally:
            connection.close()
        self.tally.count(response.status)
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            with self.lock:
                for name, morsel in jar.items():
                    if morsel.value:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
        return response.status, response.headers.get("Location", ""), text


def csrf_token(page: str) -> str:
    match = _CSRF.search(page)
    if not match:
        raise StepFailed("the page has no form with a CSRF token")
    return match.group(1) or match.group(2)


def expect(status: int, wanted: int, what: str) -> None:
    if status != wanted:
        raise StepFailed(f"{what}: HTTP {status}, expected {wanted}")


class Learner:
    def __init__(self, login: str, port: int, tally: Tally, double: bool):
        self.login = login
        self.browser = Browser(port, tally)
        self.tally = tally
        self.double = double

    def step(self, name: str, action) -> None:
        """Run a step; when the connection died under it (a killed worker), run it again."""
        for attempt in range(RETRIES + 1):
            try:
                return action()
            except CONNECTION_ERRORS as exc:
                if attempt == RETRIES:
                    raise StepFailed(f"{name}: {exc!r} after {RETRIES} retries") from exc
                with self.tally.lock:
                    self.tally.retries += 1
                time.sleep(0.2 * (attempt + 1))

    def get_form(self, path: str) -> str:
        status, _location, page = self.browser.request("GET", path)
        expect(status, 200, f"GET {path}")
        return csrf_token(page)

    def post(self, page: str, path: str, form: dict | None = None, twice: bool = False) -> str:
        """Fill in the form on ``page`` and send it to ``path``; ``twice`` sends it twice at
        the same moment (a double click), and both clicks must land on the same page."""
        form = {**(form or {}), "csrf_token": self.get_form(page)}
        if not twice:
            status, location, _page = self.browser.request("POST", path, form)
            expect(status, 302, f"POST {path}")
            return location
        barrier = threading.Barrier(2)
        outcomes: list = [None, None]

        def click(i: int) -> None:
            try:
                barrier.wait(5)
                outcomes[i] = self.browser.request("POST", path, form)
            except (*CONNECTION_ERRORS, threading.BrokenBarrierError) as exc:
                outcomes[i] = exc

        clicks = [threading.Thread(target=click, args=(i,)) for i in range(2)]
        for thread in clicks:
            thread.start()
        for thread in clicks:
            thread.join(CLIENT_TIMEOUT + 5)
        with self.tally.lock:
            self.tally.double_clicks += 1
        answered = [o for o in outcomes if isinstance(o, tuple)]
        if not answered:
            raise next(o for o in outcomes if isinstance(o, Exception))
        for status, _location, _page in answered:
            expect(status, 302, f"POST {path} (double click)")
        if len({location for _s, location, _p in answered}) != 1:
            raise StepFailed(f"a double click on {path} answered different pages: {[a[1] for a in answered]}")
        return answered[0][1]

    def log_in(self) -> None:
        status, _location, page = self.browser.request("GET", "/login")
        if status == 302:  # the session from a request that died after answering
            return
        expect(status, 200, "GET /login")
        form = {"username": self.login, "password": PASSWORD, "csrf_token": csrf_token(page)}
        status, _location, _page = self.browser.request("POST", "/login", form)
        expect(status, 302, "POST /login")

    def run(self) -> None:
        course = f"/courses/{SLUG}"
        self.step("log in", self.log_in)
        self.step("enrol", lambda: self.post(course, f"{course}/enroll", twice=self.double))
        for n in range(1, LESSONS + 1):
            lesson = f"{course}/lessons/bagian-{n}"
            self.step(f"lesson {n}", lambda lesson=lesson: self.post(lesson, f"{lesson}/complete"))
        quiz = f"{course}/quiz"
        self.step("start quiz", lambda: self.post(quiz, quiz, {"action": "start"}, twice=self.double))
        self.result = ""

        def submit() -> None:
            self.result = self.post(quiz, quiz, {**RIGHT, "action": "submit"}, twice=self.double)

        self.step("submit quiz", submit)

        def result() -> None:
            status, _location, page = self.browser.request("GET", self.result)
            expect(status, 200, f"GET {self.result}")
            if "Lulus" not in page:  # "Passed" in the default language, Indonesian
                raise StepFailed(f"{self.result} does not say the quiz was passed")

        self.step("result", result)
        with self.tally.lock:
            self.tally.finished += 1


# --- the checks --------------------------------------------------------------------------

def check_database(url: str, learners: int, lessons: int) -> list[str]:
    """Every invariant read straight from the tables; the list of those that do not hold."""
    from sqlalchemy import MetaData, create_engine, func, select

    problems: list[str] = []

    def require(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine, only=["users", "enrolments", "lesson_progress", "quiz_attempts", "certificates",
                                   "certificate_counters", "record_entries", "outbox"])
        t = meta.tables
        with engine.connect() as c:
            users = c.scalar(select(func.count()).select_from(t["users"]))
            require(users == learners, f"{users} accounts, expected {learners}")

            enrolments = c.execute(select(t["enrolments"])).mappings().all()
            per_user = Counter(row["user_id"] for row in enrolments)
            require(len(per_user) == learners and set(per_user.values()) == {1},
                    f"enrolments: {len(enrolments)} rows for {len(per_user)} learners, "
                    f"expected exactly one each for {learners}")
            completed = {row["id"] for row in enrolments if row["completed_at"] is not None}
            require(len(completed) == learners, f"{len(completed)} of {learners} enrolments completed")
            require(all(row["final_score"] == 100 for row in enrolments if row["id"] in completed),
                    "a completed enrolment has a final score other than 100")

            progress = c.execute(select(t["lesson_progress"])).mappings().all()
            require(len(progress) == lessons * learners,
                    f"{len(progress)} progress rows, expected {lessons} × {learners} = {lessons * learners}")
            require(all(row["completed_at"] is not None for row in progress), "a lesson is not marked done")

            attempts = c.execute(select(t["quiz_attempts"])).mappings().all()
            per_enrolment = Counter(row["enrolment_id"] for row in attempts)
            require(len(per_enrolment) == learners and set(per_enrolment.values()) == {1},
                    f"{len(attempts)} attempts for {len(per_enrolment)} enrolments, expected one each")
            graded = [row for row in attempts if row["status"] == "submitted" and row["score"] is not None
                      and row["submitted_at"] is not None and row["grades"]]
            require(len(graded) == len(attempts), f"{len(attempts) - len(graded)} attempts not graded exactly once")
            require(all(row["passed"] and row["score"] == 100 for row in graded), "an attempt of right answers failed")

            certificates = c.execute(select(t["certificates"])).mappings().all()
            by_enrolment = Counter(row["enrolment_id"] for row in certificates)
            require(set(by_enrolment) == completed and set(by_enrolment.values()) <= {1},
                    f"{len(certificates)} certificates for {len(completed)} completed enrolments")
            numbers = {row["enrolment_id"]: row["number"] for row in certificates}
            certificate_ids = {row["enrolment_id"]: row["id"] for row in certificates}

            entries = c.execute(select(t["record_entries"]).where(t["record_entries"].c.source == "course")) \
                .mappings().all()
            require(Counter(row["enrolment_id"] for row in entries) == Counter(completed),
                    f"{len(entries)} record entries for {len(completed)} completed enrolments")
            require(all(certificate_ids.get(row["enrolment_id"]) == row["certificate_id"] for row in entries),
                    "a record entry points at another enrolment's certificate")

            outbox = c.execute(select(t["outbox"]).where(t["outbox"].c.kind == "course.completed")).mappings().all()
            require(Counter(row["payload"]["enrolment_id"] for row in outbox) == Counter(completed),
                    f"{len(outbox)} outbox messages for {len(completed)} completed enrolments")
            require(all(numbers.get(row["payload"]["enrolment_id"]) == row["payload"]["certificate"] for row in outbox),
                    "an outbox message carries another certificate number")

            years = {row["year"] for row in certificates}
            for year in years:
                sequences = sorted(row["sequence"] for row in certificates if row["year"] == year)
                require(sequences == list(range(1, len(sequences) + 1)),
                        f"certificate numbers of {year} have gaps or duplicates")
                last = c.scalar(select(t["certificate_counters"].c.last)
                                .where(t["certificate_counters"].c.year == year))
                require(last == len(sequences), f"the {year} counter says {last}, {len(sequences)} issued")
            require(len({row["number"] for row in certificates}) == len(certificates), "duplicate certificate numbers")
    finally:
        engine.dispose()
    return problems


def check_logs(server: Server) -> tuple[list[str], Counter]:
    problems = []
    log = server.stderr_path.read_text(errors="replace")
    for marker in ("database is locked", "Traceback", "OperationalError", "deadlock detected"):
        if marker in log:
            problems.append(f"gunicorn's log holds {log.count(marker)} × {marker!r}")
    served = Counter(line.split(" ", 1)[0] for line in server.access_path.read_text().splitlines() if line)
    errors = sum(n for status, n in served.items() if status.startswith("5"))
    if errors:
        problems.append(f"the server logged {errors} answers 5xx: {dict(served)}")
    return problems, served


# --- the run -----------------------------------------------------------------------------

def drive(server: Server, logins: list[str], deadline: float) -> tuple[Tally, int | None, bool]:
    """All learners at once; one worker killed when about 40% of the requests are done."""
    tally = Tally()
    doubles = set(random.sample(range(len(logins)), round(len(logins) * DOUBLE_CLICK_SHARE)))
    learners = [Learner(login, server.port, tally, n in doubles) for n, login in enumerate(logins)]

    def run(learner: Learner) -> None:
        try:
            learner.run()
        except Exception as exc:  # noqa: BLE001  (every failure is counted and reported)
            with tally.lock:
                tally.failures.append(f"{learner.login}: {exc}")

    threads = [threading.Thread(target=run, args=(learner,), daemon=True) for learner in learners]
    for thread in threads:
        thread.start()
    expected = len(logins) * (4 + 2 * (LESSONS + 2) + 2)
    victim = None
    while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
        if victim is None and tally.requests >= 0.4 * expected:
            victim = server.kill_one_worker()
            state = "in the middle of a request" if server.victim_was_busy else "idle"
            print(f"  killed worker {victim} (SIGKILL, {state}) after {tally.requests} requests", flush=True)
        time.sleep(0.05)
    replaced = victim is not None and server.replaced()
    return tally, victim, replaced


def main(database_url: str, workers: int, learners: int, timeout: float = 240) -> int:
    started = time.monotonic()
    deadline = started + timeout
    workdir = Path(tempfile.mkdtemp(prefix="elearn_load_"))
    database = Database(database_url, workdir)
    server = None
    instance = workdir / "instance"
    instance.mkdir()
    timer = threading.Timer(timeout + 60, _give_up, args=(database, workdir))
    timer.daemon = True
    timer.start()
    try:
        database.create()
        env = app_env(database, instance)
        logins = prepare(database, env, workdir, learners)
        prepared = time.monotonic()
        server = Server(env, workers, workdir)
        server.wait_ready()
        print(f"load: {database.dialect}, {workers} workers, {learners} learners, {LESSONS} lessons + quiz; "
              f"prepared in {prepared - started:.1f} s", flush=True)
        tally, victim, replaced = drive(server, logins, deadline)
        driven = time.monotonic()
        if driven >= deadline:
            print(f"TIMEOUT after {timeout:.0f} s ({tally.finished} of {learners} learners done)")
            return 2
        problems = list(tally.failures[:10])
        if len(tally.failures) > 10:
            problems.append(f"… and {len(tally.failures) - 10} more failed learners")
        if tally.finished != learners:
            problems.append(f"{tally.finished} of {learners} learners finished")
        if any(status >= 500 for status in tally.statuses):
            problems.append(f"answers 5xx seen by the learners: {dict(tally.statuses)}")
        if victim is None:
            problems.append("no worker was killed")
        elif not replaced:
            problems.append(f"gunicorn did not replace the killed worker {victim}")
        log_problems, served = check_logs(server)
        problems += log_problems
        problems += check_database(database.url, learners, LESSONS)
        elapsed = time.monotonic() - started
        print(f"  {tally.requests} requests in {driven - prepared:.1f} s "
              f"({tally.requests / max(driven - prepared, 1e-9):.0f}/s); statuses {dict(sorted(tally.statuses.items()))}; "
              f"server log {dict(sorted(served.items()))}")
        print(f"  {tally.finished}/{learners} learners done; {tally.double_clicks} double clicks; "
              f"{tally.cut} requests cut off, {tally.retries} steps retried; worker {victim} killed, replaced: {replaced}")
        for problem in problems:
            print(f"  VIOLATED: {problem}")
        print(f"{'FAIL' if problems else 'OK'}: {database.dialect}, checked {elapsed:.1f} s after the start", flush=True)
        return 1 if problems else 0
    finally:
        timer.cancel()
        if server is not None:
            server.stop()
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"  gunicorn stopped, database dropped; {time.monotonic() - started:.1f} s in all", flush=True)


def _give_up(database: Database, workdir: Path) -> None:
    """The last resort when something hangs past the time-out: stop everything we started."""
    print("TIMEOUT: giving up", file=sys.stderr, flush=True)
    for proc in _STARTED:
        try:
            os.killpg(proc, signal.SIGKILL)
        except OSError:
            pass
    try:
        database.drop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        os._exit(2)


_STARTED: list[int] = []


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("ELEARN_LOAD_DATABASE_URL", "sqlite"),
                        help="a PostgreSQL server URL (a database is created on it and dropped), or 'sqlite'")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--timeout", type=float, default=240, help="seconds for the whole run")
    args = parser.parse_args(argv)
    return main(args.database_url, args.workers, args.learners, args.timeout)


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    sys.exit(cli())
