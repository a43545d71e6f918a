"""One select per report. The page shows a slice of it and the downloads stream all of it,
so a figure on screen and in a file always comes from the same query. The dashboard and the
trainers' course pages read these same selects, so they never disagree with a report either.

Column labels are the file headers and the names ``?sort=`` takes.
"""
from __future__ import annotations

from sqlalchemy import Float, Select, and_, case, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from elearn.accounts.units import unit_closure
from elearn.hr.filters import ReportFilters, Sort
from elearn.models import (
    Certificate,
    Course,
    Enrolment,
    LessonProgress,
    RecordEntry,
    Unit,
    User,
)


def completions(f: ReportFilters, sort: Sort) -> Select:
    """One row per enrolment."""
    stmt = (
        select(
            User.nip.label("nip"),
            User.name.label("nama"),
            Unit.name.label("unit"),
            User.position.label("jabatan"),
            User.rank.label("golongan"),
            Course.slug.label("kursus_id"),
            Course.title.label("kursus"),
            Course.jp.label("jp"),
            Enrolment.enrolled_at.label("terdaftar"),
            Enrolment.completed_at.label("selesai"),
            Enrolment.final_score.label("nilai"),
            Certificate.number.label("nomor_sertifikat"),
        )
        .select_from(Enrolment)
        .join(User, Enrolment.user_id == User.id)
        .join(Course, Enrolment.course_id == Course.id)
        .outerjoin(Unit, User.unit_id == Unit.id)
        # A revoked certificate no longer vouches for anything: its number is left out.
        .outerjoin(Certificate, and_(Certificate.enrolment_id == Enrolment.id, Certificate.revoked_at.is_(None)))
    )
    stmt = _enrolments_matching(stmt, f)
    if f.status == "completed":
        stmt = stmt.where(Enrolment.completed_at.is_not(None))
    elif f.status == "in_progress":
        stmt = stmt.where(Enrolment.completed_at.is_(None), Enrolment.last_activity_at.is_not(None))
    elif f.status == "not_started":
        stmt = stmt.where(Enrolment.completed_at.is_(None), Enrolment.last_activity_at.is_(None))
    return _ordered(stmt, sort, Enrolment.id)


def jp_compliance(f: ReportFilters, sort: Sort) -> Select:
    """One row per active ASN: JP credited in the year against the target."""
    credited = _credited(f)
    course_jp = func.coalesce(credited.c.course_jp, 0)
    external_jp = func.coalesce(credited.c.external_jp, 0)
    total = course_jp + external_jp
    met = total >= f.jp_target
    stmt = (
        select(
            User.nip.label("nip"),
            User.name.label("nama"),
            Unit.name.label("unit"),
            course_jp.label("jp_kursus"),
            external_jp.label("jp_eksternal"),
            total.label("jp_total"),
            literal(f.jp_target, Float).label("target_jp"),
            case((met, 0), else_=f.jp_target - total).label("kekurangan_jp"),
            case((met, "met"), else_="behind").label("status"),
        )
        .select_from(User)
        .outerjoin(Unit, User.unit_id == Unit.id)
        .outerjoin(credited, credited.c.user_id == User.id)
        .where(*_asn(f))
    )
    if f.status == "met":
        stmt = stmt.where(met)
    elif f.status == "behind":
        stmt = stmt.where(~met)
    return _ordered(stmt, sort, User.name, User.id)


def unit_summary(f: ReportFilters, sort: Sort) -> Select:
    """One row per unit; each unit's figures include everyone in its sub-units."""
    credited = _credited(f)
    total = func.coalesce(credited.c.course_jp, 0) + func.coalesce(credited.c.external_jp, 0)
    people = (
        select(
            User.id.label("user_id"),
            User.unit_id.label("unit_id"),
            total.label("jp"),
            case((total >= f.jp_target, 1), else_=0).label("met"),
            func.coalesce(credited.c.courses, 0).label("courses"),
        )
        .outerjoin(credited, credited.c.user_id == User.id)
        .where(*_asn(f))
        .subquery("people")
    )
    closure = unit_closure()
    headcount = func.count(people.c.user_id)
    meeting = func.coalesce(func.sum(people.c.met), 0)
    stmt = (
        select(
            Unit.code.label("kode"),
            Unit.name.label("unit"),
            headcount.label("pegawai"),
            meeting.label("memenuhi_target"),
            (meeting * 100.0 / func.nullif(headcount, 0)).label("persen_memenuhi"),
            func.coalesce(func.sum(people.c.courses), 0).label("penyelesaian"),
            func.avg(people.c.jp).label("rata_rata_jp"),
        )
        .select_from(Unit)
        .join(closure, closure.c.ancestor_id == Unit.id)
        .outerjoin(people, people.c.unit_id == closure.c.unit_id)
        .group_by(Unit.id, Unit.code, Unit.name)
    )
    if f.unit_ids is not None:
        stmt = stmt.where(Unit.id.in_(f.unit_ids))
    return _ordered(stmt, sort, Unit.id)


def course_summary(f: ReportFilters, sort: Sort) -> Select:
    """One row per course, over the same enrolments the completions report lists."""
    time_spent = (
        select(LessonProgress.enrolment_id, func.sum(LessonProgress.active_seconds).label("seconds"))
        .group_by(LessonProgress.enrolment_id)
        .subquery("time_spent")
    )
    enrolments = _enrolments_matching(
        select(
            Enrolment.id,
            Enrolment.course_id,
            Enrolment.completed_at,
            Enrolment.final_score,
            func.coalesce(time_spent.c.seconds, 0).label("seconds"),
        )
        .join(User, Enrolment.user_id == User.id)
        .join(Course, Enrolment.course_id == Course.id)
        .outerjoin(time_spent, time_spent.c.enrolment_id == Enrolment.id),
        f,
    ).subquery("matching")
    completed = enrolments.c.completed_at.is_not(None)
    enrolled_count = func.count(enrolments.c.id)
    completed_count = func.count(enrolments.c.completed_at)
    stmt = (
        select(
            Course.slug.label("kursus_id"),
            Course.title.label("kursus"),
            Course.jp.label("jp"),
            enrolled_count.label("peserta"),
            completed_count.label("selesai"),
            (completed_count * 100.0 / func.nullif(enrolled_count, 0)).label("persen_selesai"),
            func.avg(case((completed, enrolments.c.final_score))).label("rata_rata_nilai"),
            (func.avg(case((completed, enrolments.c.seconds))) / 60.0).label("rata_rata_menit"),
        )
        .select_from(Course)
        .outerjoin(enrolments, enrolments.c.course_id == Course.id)
        .group_by(Course.id, Course.slug, Course.title, Course.jp)
    )
    if f.course_id is not None:
        stmt = stmt.where(Course.id == f.course_id)
    if f.competency is not None:
        stmt = stmt.where(Course.competency == f.competency)
    return _ordered(stmt, sort, Course.id)


def _enrolments_matching(stmt: Select, f: ReportFilters) -> Select:
    """Filters on a select joining Enrolment, User and Course.

    The period holds a completed enrolment by its completion date, an open one by the date
    the person enrolled."""
    stmt = stmt.where(*_people(f))
    if f.course_id is not None:
        stmt = stmt.where(Enrolment.course_id == f.course_id)
    if f.competency is not None:
        stmt = stmt.where(Course.competency == f.competency)
    happened = func.coalesce(Enrolment.completed_at, Enrolment.enrolled_at)
    if f.starts_at is not None:
        stmt = stmt.where(happened >= f.starts_at)
    if f.ends_before is not None:
        stmt = stmt.where(happened < f.ends_before)
    return stmt


def _credited(f: ReportFilters):
    """Per person, the JP their development record credits in the year, by source, and
    how many of those entries are completed courses."""
    is_course = RecordEntry.source == "course"
    stmt = (
        select(
            RecordEntry.user_id,
            func.sum(case((is_course, RecordEntry.jp), else_=0)).label("course_jp"),
            func.sum(case((RecordEntry.source == "external", RecordEntry.jp), else_=0)).label("external_jp"),
            func.sum(case((is_course, 1), else_=0)).label("courses"),
        )
        .where(RecordEntry.year == f.year)
        .group_by(RecordEntry.user_id)
    )
    if f.date_from is not None:
        stmt = stmt.where(RecordEntry.completed_on >= f.date_from)
    if f.date_to is not None:
        stmt = stmt.where(RecordEntry.completed_on <= f.date_to)
    if f.competency is not None:
        stmt = stmt.where(RecordEntry.competency == f.competency)
    if f.course_id is not None:
        stmt = stmt.where(RecordEntry.enrolment_id.in_(
            select(Enrolment.id).where(Enrolment.course_id == f.course_id)
        ))
    return stmt.subquery("credited")


def _asn(f: ReportFilters) -> list[ColumnElement[bool]]:
    """Active civil servants (accounts with a NIP) matching the people filters."""
    return [User.active.is_(True), User.nip.is_not(None), *_people(f)]


def _people(f: ReportFilters) -> list[ColumnElement[bool]]:
    conditions = []
    if f.unit_ids is not None:
        conditions.append(User.unit_id.in_(f.unit_ids))
    if f.employment is not None:
        conditions.append(User.employment_type == f.employment)
    return conditions


def _ordered(stmt: Select, sort: Sort, *tiebreak) -> Select:
    column = stmt.selected_columns[sort.key]
    direction = column.desc() if sort.descending else column.asc()
    # Empty values last either way, on SQLite as on PostgreSQL.
    return stmt.order_by(direction.nulls_last(), *tiebreak)
