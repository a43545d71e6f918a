"""The figures of the course dashboards. Enrolled, completed, rates, scores and time come from
the report queries, so a dashboard and an HR report never disagree; what only a dashboard
shows (the learner grid, drop-off, question analysis) is computed here, with a fixed number of
queries whatever the number of learners."""
from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Row, func, select
from sqlalchemy.orm import contains_eager

from elearn.coursestats.access import visible
from elearn.coursestats.questions import QuestionStats, Response, question_stats
from elearn.extensions import db
from elearn.hr.filters import ReportFilters, Sort
from elearn.hr.queries import completions, course_summary
from elearn.models import Course, Enrolment, Lesson, LessonProgress, QuizAttempt, User
from elearn.questions.registry import type_of

LEARNERS_PER_PAGE = 50


@dataclass(frozen=True)
class CourseFigures:
    enrolled: int
    in_progress: int
    completed: int
    completion_rate: float | None  # percent
    average_score: float | None  # of completed enrolments
    average_minutes: float | None  # time on lessons per completed enrolment


@dataclass(frozen=True)
class LearnerRow:
    enrolment: Enrolment
    # One mark per lesson, in lesson order: "done", "opened" or "" (not opened).
    marks: list[str]

    @property
    def done(self) -> int:
        return self.marks.count("done")


@dataclass(frozen=True)
class LessonDropOff:
    lesson: Lesson
    reached: int  # learners who opened it
    stopped: int  # learners for whom it is the furthest lesson opened, course not completed


@dataclass(frozen=True)
class QuestionRow:
    question: dict
    stats: QuestionStats


def _course_filters(course: Course | None = None, status: str | None = None) -> ReportFilters:
    # The JP target plays no part in course figures; the filters just need one.
    return ReportFilters(jp_target=0, course_id=course.id if course else None, status=status)


def course_list(user) -> list[Row]:
    """The report's course summary rows (``kursus_id``, ``kursus``, ``peserta``, ``selesai``,
    ``persen_selesai``…) and the course's ``id``, for the courses ``user`` may see, by title."""
    stmt = (course_summary(_course_filters(), Sort("kursus")).add_columns(Course.id.label("id"))
            .where(visible(user, Course.id)))
    return list(db.session.execute(stmt))


def course_figures(course: Course) -> CourseFigures:
    row = db.session.execute(course_summary(_course_filters(course), Sort("kursus_id"))).one()
    in_progress = completions(_course_filters(course, "in_progress"), Sort("nip")).order_by(None).subquery()
    return CourseFigures(
        enrolled=row.peserta,
        in_progress=db.session.scalar(select(func.count()).select_from(in_progress)),
        completed=row.selesai,
        completion_rate=row.persen_selesai,
        average_score=row.rata_rata_nilai,
        average_minutes=row.rata_rata_menit,
    )


def learners(course: Course, page: int | None) -> tuple[Pagination, list[LearnerRow]]:
    """One page of the course's learners by name, each with a mark per active lesson."""
    pagination = db.paginate(
        select(Enrolment).join(Enrolment.user).options(contains_eager(Enrolment.user))
        .where(Enrolment.course_id == course.id).order_by(User.name, Enrolment.id),
        page=page, per_page=LEARNERS_PER_PAGE, max_per_page=LEARNERS_PER_PAGE, error_out=False,
    )
    enrolments = list(pagination.items)
    marks: dict[tuple[int, int], str] = {}
    if enrolments:
        rows = db.session.execute(
            select(LessonProgress.enrolment_id, LessonProgress.lesson_id, LessonProgress.completed_at)
            .where(LessonProgress.enrolment_id.in_([e.id for e in enrolments]))
        )
        marks = {(r.enrolment_id, r.lesson_id): "done" if r.completed_at else "opened" for r in rows}
    lessons = course.active_lessons
    return pagination, [
        LearnerRow(enrolment, [marks.get((enrolment.id, lesson.id), "") for lesson in lessons])
        for enrolment in enrolments
    ]


def drop_off(course: Course) -> list[LessonDropOff]:
    """Per active lesson: how many learners opened it, and how many stopped there."""
    of_course = (Enrolment.course_id == course.id, Lesson.retired.is_(False))
    reached = dict(db.session.execute(
        select(LessonProgress.lesson_id, func.count())
        .join(Enrolment, Enrolment.id == LessonProgress.enrolment_id)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(*of_course).group_by(LessonProgress.lesson_id)
    ).all())
    furthest = (
        select(func.max(Lesson.position).label("position"))
        .select_from(LessonProgress)
        .join(Enrolment, Enrolment.id == LessonProgress.enrolment_id)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(*of_course, Enrolment.completed_at.is_(None))
        .group_by(LessonProgress.enrolment_id)
        .subquery("furthest")
    )
    stopped = dict(db.session.execute(
        select(furthest.c.position, func.count()).group_by(furthest.c.position)
    ).all())
    return [LessonDropOff(lesson, reached.get(lesson.id, 0), stopped.get(lesson.position, 0))
            for lesson in course.active_lessons]


def question_analysis(course: Course) -> list[QuestionRow]:
    """Each scored question of the current version's quiz with its statistics, over each
    learner's first fully graded attempt on that version (see :mod:`.questions` for why)."""
    version = course.current_version
    questions = [q for q in (version.quiz_questions or []) if type_of(q).scored] if version else []
    if not questions:
        return []
    graded = (QuizAttempt.version_id == version.id, QuizAttempt.status == "submitted")
    first = (
        select(QuizAttempt.enrolment_id, func.min(QuizAttempt.number).label("number"))
        .where(*graded).group_by(QuizAttempt.enrolment_id).subquery("first")
    )
    attempts = db.session.execute(
        select(QuizAttempt.score, QuizAttempt.grades)
        .join(first, (first.c.enrolment_id == QuizAttempt.enrolment_id) & (first.c.number == QuizAttempt.number))
        .where(*graded).order_by(QuizAttempt.submitted_at, QuizAttempt.id)
    )
    keys = [q["key"] for q in questions]
    responses = [
        Response(attempt.score, {key: attempt.grades[key]["fraction"] for key in keys
                                 if attempt.grades.get(key, {}).get("fraction") is not None})
        for attempt in attempts
    ]
    return [QuestionRow(q, stats) for q, stats in zip(questions, question_stats(keys, responses), strict=True)]
