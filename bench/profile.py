"""Where a page's time goes: the prepared requests of bench/serving.py, replayed in-process through
the application (no gunicorn, no sockets) under pyinstrument.

Run: .venv/bin/python bench/profile.py [sqlite|DATABASE_URL] ENDPOINT [REQUESTS]
(at most REQUESTS: the floors and the read pages have one prepared line per reader, 300)
e.g. ``bench/profile.py sqlite lesson 500`` or ``bench/profile.py sqlite floor-layout``.
ENDPOINT is one of bench/serving.py's names; floors are served by bench/floors.py.
"""
from __future__ import annotations

import sys

from pyinstrument import Profiler

import serving
from floors import create

WARM = serving.LEARNERS


def replay(client, lines: list[str]) -> None:
    for line in lines:
        method, path, cookie, body = line.split("\t")
        if cookie:
            client.set_cookie(*cookie.split("=", 1))
        else:
            client.delete_cookie("session")
        answer = client.open(path, method=method, headers={"User-Agent": serving.USER_AGENT}, data=body or None,
                             content_type="application/x-www-form-urlencoded" if body else None)
        if answer.status_code >= 400 or "/login" in (answer.location or ""):
            raise RuntimeError(f"{method} {path}: HTTP {answer.status_code} {answer.location}")


def main(server_url: str, endpoint: str, count: int) -> None:
    with serving.city(server_url, 1) as (folder, database, secret, _):
        app = create({"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": secret, "RATELIMIT_ENABLED": False})
        lines = (folder / f"{endpoint}.requests").read_text().splitlines()
        client = app.test_client()
        # Warm: templates compiled, every reader's account kept. A line that changes state is
        # sent once, so the profiled lines follow the warm ones where there are enough.
        replay(client, lines[:WARM])
        profiled = lines[WARM:WARM + count] if len(lines) >= WARM + count else lines[:count]
        profiler = Profiler(interval=0.0002)
        with profiler:
            replay(client, profiled)
        print(f"{len(profiled)} requests of {endpoint} (at most one per prepared line)")
        print(profiler.output_text(unicode=True, processor_options={"filter_threshold": 0.01,
                                                                    "hide_regex": ".*/(werkzeug|jinja2)/.*"}))
        print(profiler.output_text(flat=True))

if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], args[1], int(args[2]) if len(args) > 2 else 500)
