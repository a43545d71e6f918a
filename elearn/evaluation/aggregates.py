"""Evaluation figures for trainers and HR: per course, and per unit with its sub-units. The
pages and the CSV files read the same functions, so a figure on screen and in a file agree."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from elearn.evaluation.survey import RATINGS
from elearn.extensions import db
from elearn.models import (
    Course,
    CourseTrainer,
    Enrolment,
    FollowUp,
    SurveyResponse,
    Unit,
    User,
)

from elearn.accounts.units import unit_closure, unit_options
from elearn.timeutil import local_date

BATCH = 2000
# What a follow-up's confirmation state is called in files, which speak Indonesian like their headers.
STATE_WORDS = {"confirmed": "dikonfirmasi", "pending": "menunggu konfirmasi", "no_supervisor": "tanpa atasan"}
COURSE_HEADERS = (
    "nip", "nama", "unit", "selesai", "relevansi", "materi", "penerapan", "komentar",
    "diterapkan", "perubahan", "tindak_lanjut_dikirim", "atasan", "status_konfirmasi", "dikonfirmasi",
    "catatan_atasan",
)
UNIT_HEADERS = (
    "kode", "unit", "respons", "rata_relevansi", "rata_materi", "rata_penerapan",
    "tindak_lanjut_dikirim", "tindak_lanjut_dikonfirmasi",
)


def may_view_course(user: User, course: Course) -> bool:
    """A course's evaluation is for its trainers, HR and admins."""
    if user.has_role("hr", "admin"):
        return True
    return db.session.get(CourseTrainer, (course.id, user.id)) is not None


@dataclass(frozen=True)
class Ratings:
    responses: int
    # Averages on the 1–5 scale, rounded to two places; None without responses.
    relevance: float | None = None
    material: float | None = None
    applicability: float | None = None


@dataclass(frozen=True)
class Comment:
    written_at: datetime
    text: str


@dataclass(frozen=True)
class FollowUpRow:
    learner: str
    unit: str | None
    submitted_at: datetime
    applied: str
    changed: str
    supervisor: str | None
    confirmed_at: datetime | None
    note: str | None

    @property
    def state(self) -> str:
        return follow_up_state(self.supervisor, self.confirmed_at)


def follow_up_state(supervisor: str | None, confirmed_at: datetime | None) -> str:
    """Confirmed, waiting for the supervisor, or without one (no confirmation step)."""
    if confirmed_at is not None:
        return "confirmed"
    return "pending" if supervisor else "no_supervisor"


@dataclass(frozen=True)
class CourseEvaluation:
    ratings: Ratings
    comment_count: int
    comments: list[Comment]
    follow_up_count: int
    confirmed_count: int
    follow_ups: list[FollowUpRow]


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    depth: int
    ratings: Ratings
    follow_ups: int
    confirmed: int


def _mean(value) -> float | None:
    # PostgreSQL averages integers as Decimal, SQLite as float.
    return None if value is None else round(float(value), 2)


def _averages(*where) -> Select:
    return (
        select(func.count(SurveyResponse.id), *(func.avg(getattr(SurveyResponse, name)) for name in RATINGS))
        .join(Enrolment, SurveyResponse.enrolment_id == Enrolment.id)
        .where(*where)
    )


def _ratings(row) -> Ratings:
    return Ratings(row[0] or 0, *(_mean(value) for value in row[1:]))


def course_evaluation(course: Course, limit: int) -> CourseEvaluation:
    """The course's figures, with its latest ``limit`` comments and follow-ups."""
    ratings = _ratings(db.session.execute(_averages(Enrolment.course_id == course.id)).one())
    has_comment = SurveyResponse.comment.is_not(None)
    comment_query = (select(SurveyResponse.created_at, SurveyResponse.comment)
                     .join(Enrolment, SurveyResponse.enrolment_id == Enrolment.id)
                     .where(Enrolment.course_id == course.id, has_comment))
    comments = [Comment(*row) for row in db.session.execute(
        comment_query.order_by(SurveyResponse.created_at.desc(), SurveyResponse.id.desc()).limit(limit))]
    counts = db.session.execute(
        select(func.count(FollowUp.id), func.count(FollowUp.confirmed_at))
        .join(Enrolment, FollowUp.enrolment_id == Enrolment.id).where(Enrolment.course_id == course.id)
    ).one()
    return CourseEvaluation(
        ratings=ratings,
        comment_count=db.session.scalar(select(func.count()).select_from(comment_query.subquery())),
        comments=comments,
        follow_up_count=counts[0],
        confirmed_count=counts[1],
        follow_ups=_follow_ups(course.id, limit),
    )


def _follow_ups(course_id: int, limit: int) -> list[FollowUpRow]:
    supervisor = aliased(User)
    rows = db.session.execute(
        select(User.name, Unit.name, FollowUp.submitted_at, FollowUp.applied, FollowUp.changed, supervisor.name,
               FollowUp.confirmed_at, FollowUp.supervisor_note)
        .select_from(FollowUp)
        .join(Enrolment, FollowUp.enrolment_id == Enrolment.id)
        .join(User, Enrolment.user_id == User.id)
        .outerjoin(Unit, User.unit_id == Unit.id)
        .outerjoin(supervisor, FollowUp.supervisor_id == supervisor.id)
        .where(Enrolment.course_id == course_id)
        .order_by(FollowUp.submitted_at.desc(), FollowUp.id.desc())
        .limit(limit)
    )
    return [FollowUpRow(*row) for row in rows]


def course_file_rows(course: Course) -> Iterator[list]:
    """One row per learner who answered the survey or the follow-up (COURSE_HEADERS), read
    in batches; dates are the city's dates."""
    supervisor = aliased(User)
    stmt = (
        select(User.nip, User.name, Unit.name, Enrolment.completed_at,
               *(getattr(SurveyResponse, name) for name in RATINGS), SurveyResponse.comment,
               FollowUp.applied, FollowUp.changed, FollowUp.submitted_at, supervisor.name,
               FollowUp.confirmed_at, FollowUp.supervisor_note)
        .select_from(Enrolment)
        .join(User, Enrolment.user_id == User.id)
        .outerjoin(Unit, User.unit_id == Unit.id)
        .outerjoin(SurveyResponse, SurveyResponse.enrolment_id == Enrolment.id)
        .outerjoin(FollowUp, FollowUp.enrolment_id == Enrolment.id)
        .outerjoin(supervisor, FollowUp.supervisor_id == supervisor.id)
        .where(Enrolment.course_id == course.id, or_(SurveyResponse.id.is_not(None), FollowUp.id.is_not(None)))
        .order_by(User.name, Enrolment.id)
        .execution_options(yield_per=BATCH)
    )
    for row in db.session.execute(stmt):
        (nip, name, unit, completed_at, relevance, material, applicability, comment, applied, changed,
         submitted_at, supervisor_name, confirmed_at, note) = row
        state = follow_up_state(supervisor_name, confirmed_at) if submitted_at is not None else None
        yield [nip, name, unit, _day(completed_at), relevance, material, applicability, comment, applied, changed,
               _day(submitted_at), supervisor_name, STATE_WORDS.get(state), _day(confirmed_at), note]


def _day(moment: datetime | None):
    return local_date(moment) if moment is not None else None


def unit_rows(course: Course | None = None) -> list[UnitRow]:
    """Every unit in tree order, each counting the people of its sub-units too: survey
    responses and their averages, follow-ups submitted and confirmed. ``course`` narrows
    the figures to one course."""
    closure = unit_closure()
    enrolments = select(Enrolment.id, User.unit_id).join(User, Enrolment.user_id == User.id)
    if course is not None:
        enrolments = enrolments.where(Enrolment.course_id == course.id)
    enrolments = enrolments.subquery()
    figures = db.session.execute(
        select(Unit.code, func.count(SurveyResponse.id),
               *(func.avg(getattr(SurveyResponse, name)) for name in RATINGS),
               func.count(FollowUp.id), func.count(FollowUp.confirmed_at))
        .select_from(closure)
        .join(Unit, Unit.id == closure.c.ancestor_id)
        .join(enrolments, enrolments.c.unit_id == closure.c.unit_id)
        .outerjoin(SurveyResponse, SurveyResponse.enrolment_id == enrolments.c.id)
        .outerjoin(FollowUp, FollowUp.enrolment_id == enrolments.c.id)
        .group_by(Unit.code)
    )
    by_code = {row[0]: row for row in figures}
    rows = []
    for option in unit_options():
        row = by_code.get(option.code)
        if row is None:
            rows.append(UnitRow(option.code, option.name, option.depth, Ratings(0), 0, 0))
        else:
            rows.append(UnitRow(option.code, option.name, option.depth, _ratings(row[1:5]), row[5], row[6]))
    return rows


def unit_file_rows(course: Course | None = None) -> Iterator[list]:
    """The unit figures as rows under UNIT_HEADERS."""
    for row in unit_rows(course):
        yield [row.code, row.name, row.ratings.responses, row.ratings.relevance, row.ratings.material,
               row.ratings.applicability, row.follow_ups, row.confirmed]
