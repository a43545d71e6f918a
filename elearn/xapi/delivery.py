"""Delivery of the outbox to a Learning Record Store.

Each message is sent and committed on its own: a crash keeps what was delivered, and a message
the LRS refuses waits (longer after every failure) without holding up the others. A message
counts as sent only once the LRS has confirmed it.
"""
from __future__ import annotations

import base64
import http.client
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus
from urllib.parse import urlencode

from sqlalchemy import func, or_, select
from sqlalchemy.sql import ColumnElement

from elearn.extensions import db
from elearn.models import OutboxMessage
from elearn.xapi.statements import BUILDERS, VERSION, StatementError, build

log = logging.getLogger(__name__)

FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(days=1)
ERROR_LENGTH = 200


@dataclass(frozen=True)
class Lrs:
    url: str
    username: str
    password: str
    timeout: float

    @classmethod
    def from_config(cls, config: Mapping) -> Lrs | None:
        """The configured LRS, or None when there is none."""
        url = config["XAPI_LRS_URL"].strip().rstrip("/")
        if not url:
            return None
        return cls(url, config["XAPI_LRS_USERNAME"], config["XAPI_LRS_PASSWORD"], config["XAPI_TIMEOUT"])


@dataclass
class PushReport:
    sent: int = 0
    failed: int = 0
    waiting: int = 0


class DeliveryError(Exception):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def push(now: datetime, lrs: Lrs, base_url: str) -> PushReport:
    """Send every message that is due; report how many went, failed, and are still unsent."""
    report = PushReport()
    due = select(OutboxMessage.id).where(_unsent(), _due(now)).order_by(OutboxMessage.id)
    for message_id in db.session.scalars(due).all():
        message = _claim(message_id, now)
        if message is None:
            continue
        if _deliver(message, now, lrs, base_url):
            report.sent += 1
        else:
            report.failed += 1
        db.session.commit()
    report.waiting = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(_unsent()))
    return report


def _unsent() -> ColumnElement[bool]:
    """Not yet delivered, and of a kind reported by xAPI."""
    return OutboxMessage.sent_at.is_(None) & OutboxMessage.kind.in_(BUILDERS)


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)


def _claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Lock the message if it is still due; another run sending at the same time skips it."""
    query = (select(OutboxMessage).where(OutboxMessage.id == message_id, _unsent(), _due(now))
             .with_for_update(skip_locked=True).execution_options(populate_existing=True))
    return db.session.scalar(query)


def _deliver(message: OutboxMessage, now: datetime, lrs: Lrs, base_url: str) -> bool:
    try:
        send(lrs, build(message, base_url))
    except (DeliveryError, StatementError) as exc:
        _postpone(message, now, str(exc))
        log.warning("xAPI: outbox message %s not delivered (attempt %s): %s", message.id, message.attempts, exc)
        return False
    message.sent_at = now
    log.info("xAPI: outbox message %s delivered", message.id)
    return True


def _postpone(message: OutboxMessage, now: datetime, error: str) -> None:
    message.attempts += 1
    message.last_error = error[:ERROR_LENGTH]
    message.next_attempt_at = now + pause_after(message.attempts)


def pause_after(attempts: int) -> timedelta:
    """One minute after the first failure, doubling with every further one, a day at most."""
    return min(FIRST_PAUSE * 2 ** min(attempts - 1, 20), LONGEST_PAUSE)


def send(lrs: Lrs, statements: list[dict]) -> None:
    """POST the statements; raise DeliveryError unless the LRS confirms it holds them."""
    try:
        _request(lrs, "POST", "/statements", json.dumps(statements).encode())
    except DeliveryError as exc:
        if exc.status != HTTPStatus.CONFLICT:
            raise
        # An LRS may answer 409 to ids it already holds, which is how a retry after a lost
        # acknowledgement looks: ask whether each statement is there instead of assuming.
        for statement in statements:
            _confirm_stored(lrs, statement["id"])


def _confirm_stored(lrs: Lrs, statement_id: str) -> None:
    try:
        _request(lrs, "GET", "/statements?" + urlencode({"statementId": statement_id}))
    except DeliveryError as exc:
        raise DeliveryError(f"HTTP 409, and statement {statement_id} could not be found: {exc}") from exc


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST comes back as a GET whose 200 would look like an acceptance.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _request(lrs: Lrs, method: str, path: str, body: bytes | None = None) -> None:
    """One request; returns only on a 2xx answer (anything else raises)."""
    opener = urllib.request.build_opener(_RefuseRedirects())
    try:
        request = urllib.request.Request(lrs.url + path, data=body, method=method, headers=_headers(lrs, body))
        with opener.open(request, timeout=lrs.timeout):
            return
    except urllib.error.HTTPError as exc:
        exc.close()
        raise DeliveryError(f"HTTP {exc.code} {exc.reason}", exc.code) from exc
    except urllib.error.URLError as exc:
        raise DeliveryError(str(exc.reason)) from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:  # ValueError: a malformed LRS URL
        raise DeliveryError(str(exc) or type(exc).__name__) from exc


def _headers(lrs: Lrs, body: bytes | None) -> dict[str, str]:
    headers = {"X-Experience-API-Version": VERSION}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if lrs.username:
        credentials = base64.b64encode(f"{lrs.username}:{lrs.password}".encode()).decode()
        headers["Authorization"] = f"Basic {credentials}"
    return headers
