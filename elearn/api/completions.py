"""The completions feed: completed enrolments in (completed_at, id) order, read page by page.

A page ends where the next one starts, by position rather than by offset, so completions
added while a client pages through neither shift the pages nor appear twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, func, or_, select

from elearn.api.params import ParamError
from elearn.extensions import db
from elearn.models import Certificate, Course, Enrolment, RecordEntry, Unit, User

CURSOR_SALT = "elearn.api.completions.cursor"


@dataclass(frozen=True)
class Position:
    """The last completion a page held."""

    completed_at: datetime
    id: int


def encode_cursor(position: Position, secret_key: str) -> str:
    # Signed, so that a cursor the API did not hand out is refused rather than followed.
    return URLSafeSerializer(secret_key, salt=CURSOR_SALT).dumps([position.completed_at.isoformat(), position.id])


def decode_cursor(cursor: str | None, secret_key: str) -> Position | None:
    if not cursor:
        return None
    try:
        moment, ident = URLSafeSerializer(secret_key, salt=CURSOR_SALT).loads(cursor)
        return Position(datetime.fromisoformat(moment), int(ident))
    except (BadSignature, TypeError, ValueError):
        raise ParamError("cursor is not one this API gave out: pass next_cursor back unchanged") from None


def completions_page(
    since: datetime | None, after: Position | None, limit: int, settled_before: datetime
) -> tuple[list[dict], Position | None]:
    """Up to ``limit`` completions from ``since`` on, after ``after``; and the position to
    continue from, or None at the end.

    A completion's time is taken before its transaction commits, so one may become visible
    after a later one was already read: only completions older than ``settled_before`` are
    given out, so that a client's cursor never passes one that is still on its way."""
    query = _query().where(Enrolment.completed_at < settled_before).limit(limit + 1)
    if since is not None:
        query = query.where(Enrolment.completed_at >= since)
    if after is not None:
        query = query.where(or_(
            Enrolment.completed_at > after.completed_at,
            and_(Enrolment.completed_at == after.completed_at, Enrolment.id > after.id),
        ))
    rows = db.session.execute(query).all()
    items = [_item(row) for row in rows[:limit]]
    more = len(rows) > limit
    last = rows[limit - 1] if more else None
    return items, Position(last.completed_at, last.id) if last else None


def _query():
    return (
        select(
            Enrolment.id,
            Enrolment.enrolled_at,
            Enrolment.completed_at,
            Enrolment.final_score,
            User.nip,
            User.name,
            Unit.code.label("unit_code"),
            Unit.name.label("unit_name"),
            Course.slug,
            Course.title,
            Course.competency,
            # The JP credited at completion: the course may declare other JP since.
            func.coalesce(RecordEntry.jp, Course.jp).label("jp"),
            Certificate.number.label("certificate_number"),
            Certificate.revoked_at.label("certificate_revoked_at"),
        )
        .join(User, Enrolment.user_id == User.id)
        .outerjoin(Unit, User.unit_id == Unit.id)
        .join(Course, Enrolment.course_id == Course.id)
        .outerjoin(Certificate, Certificate.enrolment_id == Enrolment.id)
        .outerjoin(RecordEntry, RecordEntry.enrolment_id == Enrolment.id)
        .where(Enrolment.completed_at.is_not(None))
        .order_by(Enrolment.completed_at, Enrolment.id)
    )


def _item(row) -> dict:
    revoked = row.certificate_revoked_at is not None
    return {
        "id": row.id,
        "nip": row.nip,
        "name": row.name,
        "unit_code": row.unit_code,
        "unit_name": row.unit_name,
        "course_id": row.slug,
        "course_title": row.title,
        # A revoked certificate's JP leave the development record: none are credited any more.
        "jp": 0 if revoked else row.jp,
        "competency": row.competency,
        "enrolled_at": row.enrolled_at.isoformat(),
        "completed_at": row.completed_at.isoformat(),
        "final_score": row.final_score,
        "certificate_number": row.certificate_number,
        "certificate_revoked": revoked,
    }
