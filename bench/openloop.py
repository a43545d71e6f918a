"""Latency at a fixed request rate: an open-loop, constant-rate client.

wrk (closed loop) keeps 32 connections busy: each sends its next request when the last one is
answered, so at saturation a request's time is mostly the time it waited behind the others: it
measures queueing. Users do not wait for each other. Here request *i* is due at
``start + i / rate`` whatever became of the ones before it, and its latency is counted from the
moment it was due, not from when it could be sent: a server that stalls is charged for every
request that piled up behind the stall (no "coordinated omission").

Each request opens its own connection, as gunicorn's sync workers close every connection after
one response. Lines are the prepared requests of bench/serving.py (METHOD, path, Cookie, form
body, tab-separated), sent in order from ``offset`` so that a state-changing line is sent once.

Run alone: .venv/bin/python bench/openloop.py PORT FILE RATE SECONDS
"""
from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

USER_AGENT = "elearn-bench"
TIMEOUT_SECONDS = 10


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, from the moment each was due
    statuses: dict[int, int] = field(default_factory=dict)
    failed: int = 0  # refused, cut off or timed out
    late_start: float = 0.0  # the worst delay between a request's due time and its sending


def prepare(line: str, user_agent: str = USER_AGENT) -> bytes:
    method, path, cookie, body = line.rstrip("\n").split("\t")
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"User-Agent: {user_agent}", "Connection: close"]
    if cookie:
        head.append(f"Cookie: {cookie}")
    if body:
        head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body.encode())}"]
    return ("\r\n".join(head) + "\r\n\r\n" + body).encode()


async def _one(port: int, request: bytes, due: float, outcome: Outcome) -> None:
    outcome.late_start = max(outcome.late_start, time.perf_counter() - due)
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), TIMEOUT_SECONDS)
        writer.write(request)
        answer = await asyncio.wait_for(reader.read(-1), TIMEOUT_SECONDS)
        writer.close()
    except (OSError, asyncio.TimeoutError):
        outcome.failed += 1
        return
    outcome.latencies.append(time.perf_counter() - due)
    status = int(answer[9:12]) if answer.startswith(b"HTTP/1.") else 0
    outcome.statuses[status] = outcome.statuses.get(status, 0) + 1


async def _run(port: int, requests: list[bytes], rate: float, seconds: float) -> Outcome:
    outcome = Outcome()
    count = int(rate * seconds)
    start = time.perf_counter() + 0.05
    tasks = []
    for index in range(count):
        due = start + index / rate
        pause = due - time.perf_counter()
        if pause > 0:
            await asyncio.sleep(pause)
        tasks.append(asyncio.create_task(_one(port, requests[index % len(requests)], due, outcome)))
    await asyncio.gather(*tasks)
    return outcome


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def constant_rate(port: int, lines: list[str], rate: float, seconds: float, offset: int = 0,
                  expected_status: int = 200) -> dict:
    """Send ``rate`` requests a second for ``seconds``, lines from ``offset`` on; latencies in ms."""
    requests = [prepare(line) for line in lines[offset:] + lines[:offset]]
    outcome = asyncio.run(_run(port, requests, rate, seconds))
    sent = int(rate * seconds)
    wrong = sum(count for status, count in outcome.statuses.items() if status != expected_status)
    return {"rate": rate, "sent": sent, "p50_ms": percentile(outcome.latencies, 0.50) * 1000,
            "p95_ms": percentile(outcome.latencies, 0.95) * 1000, "p99_ms": percentile(outcome.latencies, 0.99) * 1000,
            "max_ms": max(outcome.latencies, default=float("nan")) * 1000, "errors": outcome.failed + wrong,
            "late_start_ms": outcome.late_start * 1000}


if __name__ == "__main__":
    port, file, rate, seconds = sys.argv[1:5]
    print(constant_rate(int(port), Path(file).read_text().splitlines(), float(rate), float(seconds)))
