"""What a learner did offline, sent when the connection returns: each action is applied once,
by the same rules as online (the time cap, the course's current lessons, the same grader).

A browser queues three kinds of action: a lesson opened from the downloaded copy (``view``),
a lesson marked done (``complete``) and a knowledge check answered (``check``). Each carries
a key the browser made, so a queue sent twice, or by two tabs at once, counts once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.learn import checks, offline
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrolment_of, record_view
from elearn.models import Course, Enrolment, Lesson, OfflineAction, User

KINDS = ("view", "complete", "check")
MAX_ACTIONS = 200
_KEY = re.compile(r"[A-Za-z0-9-]{8,64}\Z")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,99}\Z")


@dataclass(frozen=True)
class Action:
    key: str
    kind: str
    course: str
    lesson: str
    version: int | None
    at: datetime
    check: str | None = None
    answer: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str  # applied, duplicate, rejected, or failed (kept by the browser, sent again)
    message: str | None = None
    # The course has a newer version than the copy the action was made on.
    stale: bool = False

    def as_json(self) -> dict:
        return {"key": self.key, "status": self.status, "message": self.message, "stale": self.stale}


class Refused(Exception):
    """The action cannot be applied; the message says why, to the learner."""


def parse(payload: object) -> list[Action | Outcome]:
    """The actions of a sync request; an action that is not well formed becomes its rejection
    (a queue written by an older page script must not block the rest). ValueError when the
    request itself is not a list of actions."""
    items = payload.get("actions") if isinstance(payload, dict) else None
    if not isinstance(items, list) or not items:
        raise ValueError("expected {\"actions\": [...]}")
    if len(items) > MAX_ACTIONS:
        raise ValueError(f"at most {MAX_ACTIONS} actions per request")
    return [_parsed(item) for item in items]


def _parsed(item: object) -> Action | Outcome:
    try:
        return _action(item)
    except ValueError as error:
        key = item.get("key") if isinstance(item, dict) else None
        return Outcome(key if isinstance(key, str) else "", "rejected", str(error))


def _action(item: object) -> Action:
    if not isinstance(item, dict):
        raise ValueError("each action is an object")
    key, kind, course, lesson = (item.get(name) for name in ("key", "kind", "course", "lesson"))
    if not (isinstance(key, str) and _KEY.match(key)) or kind not in KINDS:
        raise ValueError("each action needs a key and a kind")
    if not all(isinstance(slug, str) and _SLUG.match(slug) for slug in (course, lesson)):
        raise ValueError("each action names its course and lesson")
    version = item.get("version")
    answer = item.get("answer", [])
    check = item.get("check")
    if kind == "check" and not (isinstance(check, str) and 0 < len(check) <= 100
                                and isinstance(answer, list) and all(isinstance(a, str) for a in answer)):
        raise ValueError("a check action names its check and lists its answer")
    return Action(key=key, kind=kind, course=course, lesson=lesson, at=_moment(item.get("at")),
                  version=version if isinstance(version, int) and not isinstance(version, bool) else None,
                  check=check if kind == "check" else None, answer=tuple(answer) if kind == "check" else ())


def _moment(value: object) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError("each action has its time, in ISO 8601 with an offset")
    return moment.astimezone(UTC)


def apply_all(user: User, actions: list[Action | Outcome], now: datetime) -> list[Outcome]:
    """Apply the actions in the order the browser made them, each in its own transaction."""
    user_id = user.id
    # Per course, the lesson and time of the last view in this offline reading.
    reading: dict[str, tuple[str, datetime]] = {}
    return [action if isinstance(action, Outcome) else _isolated(user_id, action, now, reading)
            for action in actions]


def _isolated(user_id: int, action: Action, now: datetime, reading: dict[str, tuple[str, datetime]]) -> Outcome:
    """One action that fails (a bug, a lost database connection) must not hold back the queue
    behind it: it is rolled back, logged, and stays in the browser to be sent again."""
    try:
        return apply_one(user_id, action, now, reading)
    except Exception:
        db.session.rollback()
        current_app.logger.exception("offline action %s of user %s failed", action.key, user_id)
        return Outcome(action.key, "failed", _("An action could not be applied now; it will be sent again later."))


def apply_one(user_id: int, action: Action, now: datetime, reading: dict[str, tuple[str, datetime]]) -> Outcome:
    before = reading.get(action.course)
    if action.kind != "check":
        reading[action.course] = (action.lesson, action.at)
    if _seen(user_id, action.key):
        return Outcome(action.key, "duplicate")
    stale, message, status = False, None, "applied"
    try:
        stale, message = _apply(user_id, action, now, before)
    except Refused as refusal:
        status, message = "rejected", str(refusal)
    # The key is written with the action's effect: a second sender waits for the first and
    # then fails on the unique key, and its effect is rolled back with it.
    db.session.add(OfflineAction(user_id=user_id, key=action.key, kind=action.kind, status=status, received_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if not _seen(user_id, action.key):
            raise
        return Outcome(action.key, "duplicate")
    return Outcome(action.key, status, message, stale)


def _seen(user_id: int, key: str) -> bool:
    return db.session.scalar(
        select(OfflineAction.id).where(OfflineAction.user_id == user_id, OfflineAction.key == key)) is not None


def _apply(user_id: int, action: Action, now: datetime, before: tuple[str, datetime] | None) -> tuple[bool, str | None]:
    enrolment, lesson = _resolve(user_id, action)
    stale = action.version != enrolment.course.current_version_id
    if action.kind == "check":
        question = checks.find(lesson, action.check)
        if question is None:
            raise Refused(_("A knowledge check in “%(lesson)s” was changed while you were offline: "
                            "answer it again on the lesson page.", lesson=lesson.title))
        result = checks.answer(enrolment, lesson, question, list(action.answer))
        if result.error:
            raise Refused(result.error)
        return stale, None
    at, since = _moment_in(enrolment, action.at, now), _since(enrolment, before, now)
    if action.kind == "view":
        record_view(enrolment, lesson, at, since)
        return stale, None
    complete_lesson(enrolment, lesson, at, since)
    # The course is completed, and its JP credited to a year, by the server's clock: a
    # browser's clock cannot move a certificate into another year.
    if complete_if_done(enrolment, now) is not None:
        return stale, _("You have completed “%(course)s”: your certificate is ready.", course=enrolment.course.title)
    return stale, None


def _moment_in(enrolment: Enrolment, moment: datetime, now: datetime) -> datetime:
    """A browser's clock may be wrong: nothing happens before the enrolment or after now."""
    return min(max(moment, enrolment.enrolled_at), now)


def _since(enrolment: Enrolment, before: tuple[str, datetime] | None, now: datetime) -> tuple[int, datetime] | None:
    """The lesson and time of the view before this one in the same offline reading, if any."""
    if before is None:
        return None
    lesson = next((item for item in enrolment.course.active_lessons if item.slug == before[0]), None)
    return (lesson.id, _moment_in(enrolment, before[1], now)) if lesson else None


def _resolve(user_id: int, action: Action) -> tuple[Enrolment, Lesson]:
    course = db.session.scalar(select(Course).where(Course.slug == action.course))
    if course is None or not offline.downloadable(course):
        raise Refused(_("The course “%(course)s” is no longer offered.", course=action.course))
    enrolment = enrolment_of(db.session.get(User, user_id), course)
    if enrolment is None:
        raise Refused(_("You are not enrolled in “%(course)s”.", course=course.title))
    lesson = next((lesson for lesson in course.active_lessons if lesson.slug == action.lesson), None)
    if lesson is None:
        raise Refused(_("The lesson “%(lesson)s” is no longer part of “%(course)s”: the course was changed "
                        "while you were offline. Download it again.", lesson=action.lesson, course=course.title))
    return enrolment, lesson
