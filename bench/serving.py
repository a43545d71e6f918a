"""Requests per second through gunicorn, measured against the framework's own ceiling.

Run: .venv/bin/python bench/serving.py [sqlite|DATABASE_URL] [SCALE] [SECONDS]
Seeds a throw-away database (bench/seed.py at SCALE), adds signed-in learners and an HR officer,
serves the app with gunicorn (2 sync workers) and drives it with wrk (32 connections) for SECONDS
per endpoint, after a short warm-up. A bare Flask hello-world (bench/hello.py) is served with the
same gunicorn settings and measured the same way before and after, so every figure has a ratio to
the ceiling taken on the same machine, in the same minute. Four floors (bench/floors.py: a public
page, the public layout, a signed-in page and the signed-in layout, none doing work of its own)
are served and measured the same way: what every real page pays before it starts.

The rate limiter is off in this run: one address sending thousands of requests a second is exactly
what it exists to refuse. Access logs are off for both apps.
"""
from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from openloop import constant_rate  # noqa: E402
from tests.load.run_load import Database, free_port  # noqa: E402

WORKERS = 2
# The same for elearn and for hello-world.
GUNICORN_ARGS = ["--workers", str(WORKERS)]
CONNECTIONS = 32
THREADS = 2
WARM_UP_SECONDS = 2
# Latency is measured at this share of the page's own saturation rate, found just before.
OPEN_LOOP_LOAD = 0.5
LEARNERS = 300
PASSWORD = "Bench-Password-2026"
FAST_HASH = "pbkdf2:sha256:1000"
RIGHT_ANSWERS = {"q-nilai": "0", "q-nilai-shown": "1", "q-jam-buka": "8", "q-jam-buka-shown": "1"}
REPORT_PATH = "/hr/reports/jp"
REPORT_ROUNDS = 20
# Sent with every request, the sign-in included, as a browser sends its own: Flask-Login keeps a
# digest of it in the session, and requests without it would rewrite the session cookie each time.
USER_AGENT = "elearn-bench"


@dataclass(frozen=True)
class Endpoint:
    name: str
    shown: str  # what the docs call it: method and route
    target_ratio: float | None
    target_p99_ms: float | None = None
    expected_status: int = 200
    once_each: bool = False  # a POST that changes state: each line must be sent once only
    target_open_p99_ms: float | None = None  # at OPEN_LOOP_LOAD of the endpoint's saturation


ENDPOINTS = [
    Endpoint("lesson", "GET /courses/<c>/lessons/<l>", 0.40, 50, target_open_p99_ms=25),
    Endpoint("home", "GET /", 0.40, 50, target_open_p99_ms=25),
    Endpoint("home-all", "GET / (enrolled in all 30 courses)", None),
    Endpoint("catalogue", "GET /courses", 0.40, 50, target_open_p99_ms=25),
    Endpoint("complete", "POST /courses/<c>/lessons/<l>/complete", 0.25, expected_status=302, once_each=True,
             target_open_p99_ms=40),
    Endpoint("quiz", "POST /courses/<c>/quiz (submit)", 0.25, expected_status=302, once_each=True,
             target_open_p99_ms=40),
    Endpoint("verify", "GET /verify/<code>", 0.60),
    Endpoint("report", f"GET {REPORT_PATH} (HR, whole city)", None),
    Endpoint("health", "GET /healthz", 0.60),
]
# What any page pays before its own work (bench/floors.py), served and measured the same way.
FLOORS = [
    Endpoint("floor-public", "GET /bench/public (public, returns a word)", None),
    Endpoint("floor-public-layout", "GET /bench/public-layout (public, the site's layout around no content)", None),
    Endpoint("floor-signed-in", "GET /bench/signed-in (signed in, returns a word)", None),
    Endpoint("floor-layout", "GET /bench/layout (signed in, the site's layout around no content)", None),
]


# --- the installation ---------------------------------------------------------------------

def make_app(url: str, secret: str, folder: Path):
    os.environ["ELEARN_INSTANCE_PATH"] = str(folder)
    from elearn import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret, "RATELIMIT_ENABLED": False,
                       "PASSWORD_HASH_METHOD": FAST_HASH})


def prepare(url: str, secret: str, folder: Path, scale: float) -> dict:
    """Seed the city and sign in some of its ASN, who read pages as a year of use left them; add
    learners enrolled in every course with an open quiz attempt in each, who post (a lesson
    complete, a quiz submitted: each request its own), and an HR officer. Write one file of
    prepared requests per endpoint. Returns the seed's figures."""
    from flask_migrate import upgrade
    from sqlalchemy import select, update

    from elearn.accounts.operations import create_user
    from elearn.accounts.passwords import hash_password
    from elearn.extensions import db
    from elearn.learn.attempts import start_attempt
    from elearn.learn.progress import enrol
    from elearn.models import Certificate, Course, Enrolment, User
    from elearn.timeutil import utcnow
    from seed import nip, seed
    from tests.html import csrf_token

    app = make_app(url, secret, folder)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        counts = seed(scale)
        seed_seconds = time.perf_counter() - started
        courses = db.session.scalars(select(Course).order_by(Course.slug)).all()
        readers = db.session.scalars(select(User.nip).where(User.id <= LEARNERS).order_by(User.id)).all()
        db.session.execute(update(User).where(User.id <= LEARNERS).values(password_hash=hash_password(PASSWORD)))
        # The lessons of the readers' courses in progress, a lesson of each in turn.
        reading = [(person, course.slug, [lesson.slug for lesson in course.active_lessons])
                   for person, course in db.session.execute(
                       select(User.nip, Course).join(Enrolment, Enrolment.user_id == User.id)
                       .join(Course, Course.id == Enrolment.course_id)
                       .where(User.id <= LEARNERS, Enrolment.completed_at.is_(None)).order_by(Enrolment.id))]
        # NIPs far past the seeded ones (seed.nip is unique below 360,000).
        nips = [nip(350_000 + n) for n in range(LEARNERS)]
        now = utcnow()
        for n, number in enumerate(nips):
            person = create_user(None, name=f"Peserta Bench {n + 1}", nip=number, password=PASSWORD, unit_id=n % 40 + 1)
            db.session.flush()
            for course in courses:
                start_attempt(enrol(person, course), now)
            db.session.commit()
        create_user(None, name="Petugas BKPSDM", email="hr@bench.example", roles=["hr"], password=PASSWORD)
        db.session.commit()
        codes = db.session.scalars(select(Certificate.code).order_by(Certificate.id)).all()
        lessons = [(course.slug, lesson.slug) for lesson_index in range(8) for course in courses
                   for lesson in course.active_lessons[lesson_index:lesson_index + 1]]
        slugs = [course.slug for course in courses]
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load, done before the clock starts, not during the runs.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()

    sessions = [sign_in(app, number, csrf_token) for number in nips]
    readers = {number: sign_in(app, number, csrf_token)[0] for number in readers}
    hr = sign_in(app, "hr@bench.example", csrf_token)
    lines = {
        "lesson": [("GET", f"/courses/{slug}/lessons/{lesson}", readers[person], "")
                   for n in range(8) for person, slug, pages in reading for lesson in pages[n:n + 1]],
        "home": [("GET", "/", cookie, "") for cookie in readers.values()],
        "home-all": [("GET", "/", cookie, "") for cookie, _ in sessions],
        "catalogue": [("GET", "/courses", cookie, "") for cookie in readers.values()],
        "complete": [("POST", f"/courses/{c}/lessons/{l}/complete", cookie, urlencode({"csrf_token": token}))
                     for c, l in lessons for cookie, token in sessions],
        "quiz": [("POST", f"/courses/{c}/quiz", cookie,
                  urlencode({"csrf_token": token, "action": "submit", **RIGHT_ANSWERS}))
                 for c in slugs for cookie, token in sessions],
        "verify": [("GET", f"/verify/{code}", "", "") for code in codes],
        "report": [("GET", REPORT_PATH, hr[0], "")],
        "health": [("GET", "/healthz", "", "")],
        "floor-public": [("GET", "/bench/public", "", "")],
        "floor-public-layout": [("GET", "/bench/public-layout", "", "")],
        "floor-signed-in": [("GET", "/bench/signed-in", cookie, "") for cookie in readers.values()],
        "floor-layout": [("GET", "/bench/layout", cookie, "") for cookie in readers.values()],
    }
    for name, rows in lines.items():
        (folder / f"{name}.requests").write_text("".join("\t".join(row) + "\n" for row in rows))
    return {"seed_seconds": seed_seconds, "counts": counts, "hr_cookie": hr[0]}


def sign_in(app, login: str, csrf_token) -> tuple[str, str]:
    """A session cookie header and the CSRF token that goes with it, as a browser would hold them."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
    page = client.get("/login")
    answer = client.post("/login", data={"username": login, "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert answer.status_code == 302 and "/login" not in answer.location, f"{login} could not log in"
    token = csrf_token(client.get("/"))  # the log-out button's form
    return f"session={client.get_cookie('session').value}", token


# --- gunicorn and wrk ---------------------------------------------------------------------

@contextmanager
def gunicorn(target: str, env: dict[str, str], folder: Path, chdir: Path = ROOT):
    port = free_port()
    log = open(folder / f"gunicorn-{port}.log", "wb")  # noqa: SIM115  (open while gunicorn runs)
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}", "--chdir", str(chdir), target],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {target} did not start:\n{(folder / log.name).read_text()}")
            try:
                get(port, "/")
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


def headers(cookie: str) -> dict[str, str]:
    return {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}


def get(port: int, path: str, cookie: str = "") -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers(cookie))
        response = connection.getresponse()
        return response.status, response.getheader("Location", ""), response.read()
    finally:
        connection.close()


def send(port: int, line: str) -> tuple[int, str]:
    method, path, cookie, body = line.rstrip("\n").split("\t")
    sent = headers(cookie)
    if body:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=sent)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


def wrk(port: int, requests: Path, seconds: float, offset: int = 0) -> dict:
    done = subprocess.run(
        ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{int(seconds)}s", "--timeout", "10s",
         "-s", str(BENCH / "wrk" / "replay.lua"), f"http://127.0.0.1:{port}", "--",
         str(requests), str(THREADS), str(offset), USER_AGENT],
        capture_output=True, text=True, timeout=seconds + 60, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(figures[key] for key in ("connect", "read", "write", "status", "timeout"))
    return figures


def hello_world(env: dict[str, str], folder: Path, seconds: float) -> dict:
    requests = folder / "hello.requests"
    requests.write_text("GET\t/\t\t\n")
    with gunicorn("hello:app", env, folder, chdir=BENCH) as port:
        wrk(port, requests, WARM_UP_SECONDS)
        return wrk(port, requests, seconds)


def check_first(port: int, endpoint: Endpoint, requests: Path) -> None:
    """One request of the file, answered as a signed-in user's would be: no log-in page, no error.
    A state-changing endpoint is checked on its last line, which the run itself does not reach."""
    lines = requests.read_text().splitlines()
    status, location = send(port, lines[-1] if endpoint.once_each else lines[0])
    if status != endpoint.expected_status or "/login" in location:
        raise RuntimeError(f"{endpoint.name}: HTTP {status} {location} before the run")


def report_page_ms(port: int, cookie: str) -> float:
    """The HR report for the whole city, one request at a time: what an officer waits for."""
    timings = []
    for _ in range(REPORT_ROUNDS):
        started = time.perf_counter()
        status, _, _ = get(port, REPORT_PATH, cookie)
        timings.append(time.perf_counter() - started)
        assert status == 200, status
    return statistics.median(timings) * 1000


def drive(port: int, endpoints: list[Endpoint], folder: Path, seconds: float) -> dict:
    """Saturation with wrk (closed loop: queueing), then latency at a fixed rate of half of it
    (open loop: what a user waits), each line of a state-changing endpoint sent once in all."""
    results = {}
    for endpoint in endpoints:
        requests = folder / f"{endpoint.name}.requests"
        check_first(port, endpoint, requests)
        warm = wrk(port, requests, WARM_UP_SECONDS)
        figures = wrk(port, requests, seconds, offset=warm["requests"])
        lines = requests.read_text().splitlines()
        sent = warm["requests"] + figures["requests"]
        figures["open"] = constant_rate(port, lines, max(1.0, figures["rps"] * OPEN_LOOP_LOAD), seconds,
                                        offset=sent % len(lines), expected_status=endpoint.expected_status)
        figures["repeated"] = max(0, sent + figures["open"]["sent"] - len(lines) + 1)
        results[endpoint.name] = figures
    return results


@contextmanager
def city(server_url: str, scale: float):
    """A throw-away database with the city seeded and its requests prepared (``prepare``), dropped
    afterwards. Yields the folder of the request files, the database, the secret key and the
    seed's figures."""
    with tempfile.TemporaryDirectory() as workdir:
        folder = Path(workdir)
        database = Database(server_url, folder)
        database.create()
        try:
            secret = secrets.token_hex(16)
            yield folder, database, secret, prepare(database.url, secret, folder, scale)
        finally:
            database.drop()


def measure(server_url: str = "sqlite", scale: float = 1.0, seconds: float = 10) -> dict:
    """Every endpoint on one database at one scale, with hello-world before and after."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make system-bench` installs it.")
    with city(server_url, scale) as (folder, database, secret, prepared):
        env = {**os.environ, "DATABASE_URL": database.url, "ELEARN_INSTANCE_PATH": str(folder),
               "ELEARN_RATELIMIT": "false", "SECRET_KEY": secret, "PYTHONPATH": str(ROOT)}
        before = hello_world(env, folder, seconds)
        with gunicorn("wsgi:app", env, folder) as port:
            results = drive(port, ENDPOINTS, folder, seconds)
            report_ms = report_page_ms(port, prepared["hr_cookie"])
        with gunicorn("floors:create()", env, folder, chdir=BENCH) as port:
            results |= drive(port, FLOORS, folder, seconds)
        after = hello_world(env, folder, seconds)
        size = database_size(database.url)
    ceiling = (before["rps"] + after["rps"]) / 2
    for figures in results.values():
        figures["ratio"] = figures["rps"] / ceiling
    return {"database": database.dialect, "scale": scale, "seconds": seconds, "seed_seconds": prepared["seed_seconds"],
            "counts": prepared["counts"], "hello": {"before": before, "after": after, "rps": ceiling},
            "endpoints": results, "report_ms": report_ms, "size": size}


def database_size(url: str) -> dict:
    """Megabytes on disk, in all and for the largest tables (on PostgreSQL with their indexes;
    SQLite counts tables and indexes apart)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                total = Path(engine.url.database).stat().st_size
                tables = connection.execute(text(
                    "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8")).all()
            else:
                total = connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
                tables = connection.execute(text(
                    "SELECT relname, pg_total_relation_size(relid) FROM pg_catalog.pg_statio_user_tables "
                    "ORDER BY 2 DESC LIMIT 8")).all()
    finally:
        engine.dispose()
    return {"total_mb": total / 1e6, "tables": {name: size / 1e6 for name, size in tables}}


def verdict(endpoint: Endpoint, figures: dict) -> str:
    misses = []
    if endpoint.target_ratio is not None and figures["ratio"] < endpoint.target_ratio:
        misses.append(f"ratio < {endpoint.target_ratio:.2f}")
    if endpoint.target_p99_ms is not None and figures["p99_us"] / 1000 >= endpoint.target_p99_ms:
        misses.append(f"p99 >= {endpoint.target_p99_ms:.0f} ms")
    if endpoint.target_open_p99_ms is not None and not figures["open"]["p99_ms"] < endpoint.target_open_p99_ms:
        misses.append(f"p99 at {OPEN_LOOP_LOAD:.0%} load >= {endpoint.target_open_p99_ms:.0f} ms")
    if figures["errors"] or figures["open"]["errors"]:
        misses.append(f"{figures['errors'] + figures['open']['errors']} errors")
    if endpoint.once_each and figures["repeated"]:
        misses.append(f"{figures['repeated']} repeated")
    return "MISS: " + ", ".join(misses) if misses else "ok"


def print_run(run: dict) -> None:
    hello = run["hello"]
    print(f"{run['database']} at scale {run['scale']:g}: seeded in {run['seed_seconds']:.1f} s; hello-world "
          f"{hello['rps']:,.0f} req/s (before {hello['before']['rps']:,.0f}, after {hello['after']['rps']:,.0f})")
    for endpoint in ENDPOINTS + FLOORS:
        figures = run["endpoints"][endpoint.name]
        open_loop = figures["open"]
        print(f"  {endpoint.name:20} {figures['rps']:8,.0f} req/s  p50 {figures['p50_us'] / 1000:6.1f} ms  "
              f"p99 {figures['p99_us'] / 1000:6.1f} ms  ratio {figures['ratio']:.2f}  | at {open_loop['rate']:,.0f} req/s: "
              f"p50 {open_loop['p50_ms']:.1f}, p95 {open_loop['p95_ms']:.1f}, p99 {open_loop['p99_ms']:.1f} ms  "
              f"{verdict(endpoint, figures)}")
    print(f"  HR report page alone: median {run['report_ms']:.0f} ms (target < 300 ms)")
    print(f"  database: {run['size']['total_mb']:,.0f} MB; largest: "
          + ", ".join(f"{name} {mb:,.0f} MB" for name, mb in run["size"]["tables"].items()))


if __name__ == "__main__":
    args = sys.argv[1:]
    print_run(measure(args[0] if args else "sqlite", float(args[1]) if len(args) > 1 else 1.0,
                      float(args[2]) if len(args) > 2 else 10))
