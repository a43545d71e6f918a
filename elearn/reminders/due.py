"""The notifications that only the calendar causes, written by ``flask notify remind``.

Every one has a key naming what it reminds of, so the command can run as often as cron likes,
on several machines: a reminder is written once. Reminders look back at most ``LOOK_BACK``, so
that the first run on an old database does not tell people of things long past.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from elearn.evaluation.follow_up import due_on as follow_up_due_on
from elearn.extensions import db
from elearn.models import (
    AssignedPerson,
    Assignment,
    Course,
    Enrolment,
    FollowUp,
    RecordEntry,
    Unit,
    User,
)
from elearn.models.units import subtree_ids
from elearn.notifications.operations import notify
from elearn.records.ledger import state_of
from elearn.timeutil import local_date

LOOK_BACK = timedelta(days=30)
# The longest follow-up a course may ask for (course.md's follow_up_days), plus the look-back.
_FOLLOW_UP_WINDOW = timedelta(days=365) + LOOK_BACK
# The digest names at most this many people per list; it says how many more there are.
DIGEST_NAMES = 50


def remind(now: datetime) -> Counter:
    """Write every reminder that is due; how many of each kind were written."""
    today = local_date(now)
    written: Counter = Counter()
    for kind in (_assignments(today, now), _follow_ups(today, now), _digests(today, now)):
        written.update(kind)
    return written


@dataclass(frozen=True)
class _Assigned:
    assignment: Assignment
    user: User


def _open_assignments(since: date | None) -> list[_Assigned]:
    """Assigned people who have not completed the course, for due dates from ``since`` on."""
    completed = (select(Enrolment.id).where(Enrolment.user_id == AssignedPerson.user_id,
                                            Enrolment.course_id == Assignment.course_id,
                                            Enrolment.completed_at.is_not(None)).exists())
    rows = db.session.execute(
        select(Assignment, User)
        .join(AssignedPerson, AssignedPerson.assignment_id == Assignment.id)
        .join(User, User.id == AssignedPerson.user_id)
        .options(joinedload(Assignment.course))
        .where(User.active.is_(True), ~completed, *([Assignment.due_on >= since] if since else []))
        .order_by(Assignment.id, User.id)
    ).all()
    return [_Assigned(assignment, user) for assignment, user in rows]


def _assignments(today: date, now: datetime) -> Counter:
    """Seven days before (for those who had it longer than that), one day before, and overdue;
    never on the day the course was assigned, which its own notification covers."""
    written: Counter = Counter()
    for item in _open_assignments(today - LOOK_BACK):
        assignment, user = item.assignment, item.user
        days_left = (assignment.due_on - today).days
        assigned_on = local_date(assignment.created_at)
        params = {"course_title": assignment.course.title, "due_on": assignment.due_on.isoformat(),
                  "days_left": days_left}
        link = f"/courses/{assignment.course.slug}"
        if days_left < 0:
            kind, key = "assignment.overdue", f"assignment.overdue:{assignment.id}:{user.id}"
        elif assigned_on == today:
            continue
        elif days_left <= 1:
            kind, key = "assignment.reminder", f"assignment.reminder.1:{assignment.id}:{user.id}"
        elif days_left <= 7 and assigned_on < assignment.due_on - timedelta(days=7):
            kind, key = "assignment.reminder", f"assignment.reminder.7:{assignment.id}:{user.id}"
        else:
            continue
        if notify(user, kind, link, now, key=key, **params):
            written[kind] += 1
    return written


def _follow_ups(today: date, now: datetime) -> Counter:
    """A course's follow-up question is due and the learner has not answered it."""
    answered = select(FollowUp.id).where(FollowUp.enrolment_id == Enrolment.id).exists()
    enrolments = db.session.scalars(
        select(Enrolment).join(Course, Course.id == Enrolment.course_id)
        .options(joinedload(Enrolment.course), joinedload(Enrolment.user))
        .where(Enrolment.completed_at >= now - _FOLLOW_UP_WINDOW, Course.follow_up_days > 0, ~answered)
    ).all()
    written: Counter = Counter()
    for enrolment in enrolments:
        due = follow_up_due_on(enrolment)
        if due is None or not today - LOOK_BACK <= due <= today or not enrolment.user.active:
            continue
        if notify(enrolment.user, "followup.due", f"/courses/{enrolment.course.slug}/follow-up", now,
                  key=f"followup.due:{enrolment.id}", course_title=enrolment.course.title):
            written["followup.due"] += 1
    return written


def _digests(today: date, now: datetime) -> Counter:
    """Once a week, each unit head hears who in the unit (sub-units included) is behind the
    year's JP target or has an overdue assigned course; a week with nobody to name sends nothing."""
    year, week, _day = today.isocalendar()
    target = current_app.config["JP_TARGET"]
    written: Counter = Counter()
    units = db.session.scalars(select(Unit).where(Unit.head_id.is_not(None))).all()
    heads = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_([unit.head_id for unit in units]), User.active.is_(True)))}
    # Every overdue course, however long ago it was due: the head should hear of it each week.
    late = [item for item in _open_assignments(None) if item.assignment.due_on < today]
    for unit in units:
        head = heads.get(unit.head_id)
        if head is None:
            continue
        people = _people_of(unit)
        jp = _jp_this_year(people, today.year)
        behind = [person for person in people if state_of(jp.get(person.id, 0.0), target, today.year, today) == "behind"]
        overdue = _overdue(people, late)
        if not behind and not overdue:
            continue
        if notify(head, "digest.weekly", "/", now, key=f"digest.weekly:{unit.id}:{year}-W{week:02d}",
                  unit_name=unit.name, target=target,
                  behind=[{"name": p.name, "jp": jp.get(p.id, 0.0)} for p in behind[:DIGEST_NAMES]],
                  behind_more=max(0, len(behind) - DIGEST_NAMES),
                  overdue=overdue[:DIGEST_NAMES], overdue_more=max(0, len(overdue) - DIGEST_NAMES)):
            written["digest.weekly"] += 1
    return written


def _people_of(unit: Unit) -> list[User]:
    return db.session.scalars(
        select(User).where(User.unit_id.in_(subtree_ids(unit.id)), User.active.is_(True), User.id != unit.head_id)
        .order_by(User.name)
    ).all()


def _jp_this_year(people: list[User], year: int) -> dict[int, float]:
    rows = db.session.execute(
        select(RecordEntry.user_id, func.sum(RecordEntry.jp))
        .where(RecordEntry.user_id.in_([p.id for p in people]), RecordEntry.year == year)
        .group_by(RecordEntry.user_id)
    ).all()
    return {user_id: float(total) for user_id, total in rows}


def _overdue(people: list[User], late: list[_Assigned]) -> list[dict]:
    ids = {p.id for p in people}
    return [
        {"name": item.user.name, "course_title": item.assignment.course.title,
         "due_on": item.assignment.due_on.isoformat()}
        for item in late if item.user.id in ids
    ]
