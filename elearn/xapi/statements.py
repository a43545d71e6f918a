"""Outbox messages as xAPI 1.0.3 statements.

A statement's id is derived from the outbox message and the verb, never drawn at random:
sending a message again (after a lost acknowledgement) repeats the same statements, which an
LRS stores once. People appear by their opaque id only, never by NIP or name.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from elearn.extensions import db
from elearn.models import Enrolment, OutboxMessage

VERSION = "1.0.3"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
COURSE = "http://adlnet.gov/expapi/activities/course"
VERB_NAMES = {
    COMPLETED: {"en-US": "completed", "id-ID": "menyelesaikan"},
    PASSED: {"en-US": "passed", "id-ID": "lulus"},
}


class StatementError(LookupError):
    """The message refers to something that is no longer there."""


def statement_id(base_url: str, message_id: int, verb: str) -> str:
    # The namespace comes from the site, so two sites reporting to one LRS never share ids.
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url}/xapi")
    return str(uuid.uuid5(namespace, f"outbox/{message_id}/{verb}"))


def iso_duration(elapsed: timedelta) -> str:
    """ISO 8601 duration in hours, minutes and seconds: days vary in length, hours do not."""
    seconds = max(int(elapsed.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if value]
    return "PT" + ("".join(parts) or "0S")


def actor(base_url: str, opaque_id: str) -> dict:
    return {"objectType": "Agent", "account": {"homePage": base_url, "name": opaque_id}}


def course_activity(base_url: str, slug: str, title: str) -> dict:
    return {
        "objectType": "Activity",
        "id": f"{base_url}/courses/{slug}",
        "definition": {"name": {"id-ID": title}, "type": COURSE},
    }


def course_completed(message: OutboxMessage, base_url: str) -> list[dict]:
    """``completed``, and ``passed`` with the score when the course had a graded quiz."""
    payload = message.payload
    enrolment = db.session.get(Enrolment, payload["enrolment_id"])
    if enrolment is None:
        raise StatementError(f"enrolment {payload['enrolment_id']} no longer exists")
    completed_at = datetime.fromisoformat(payload["completed_at"])
    facts = {
        "actor": actor(base_url, enrolment.user.opaque_id),
        "object": course_activity(base_url, payload["course"], enrolment.course.title),
        "timestamp": completed_at.isoformat(),
    }
    result = {"completion": True, "duration": iso_duration(completed_at - enrolment.enrolled_at)}
    statements = [_statement(base_url, message.id, COMPLETED, facts, result)]
    score = payload.get("score")
    if score is not None:
        scored = {**result, "success": True, "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100}}
        statements.append(_statement(base_url, message.id, PASSED, facts, scored))
    return statements


def _statement(base_url: str, message_id: int, verb: str, facts: dict, result: dict) -> dict:
    return {
        "id": statement_id(base_url, message_id, verb),
        "actor": facts["actor"],
        "verb": {"id": verb, "display": VERB_NAMES[verb]},
        "object": facts["object"],
        "result": result,
        "context": {"platform": "elearn", "language": "id-ID"},
        "timestamp": facts["timestamp"],
        "version": VERSION,
    }


# The outbox kinds reported by xAPI; other kinds are left for whichever system reads them.
BUILDERS: dict[str, Callable[[OutboxMessage, str], list[dict]]] = {
    "course.completed": course_completed,
}


def build(message: OutboxMessage, base_url: str) -> list[dict]:
    return BUILDERS[message.kind](message, base_url.rstrip("/"))
