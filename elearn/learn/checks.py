"""Knowledge checks inside lessons: answered in the page, checked on the server, remembered.

The lesson HTML stored at import holds only a placeholder per check; the question's options
are filled in here, and its feedback only once the learner has answered.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import render_template
from sqlalchemy import select

from elearn.extensions import db, insert_once
from elearn.models import CheckAnswer, Enrolment, Lesson
from elearn.questions.answers import AnswerError, Grade
from elearn.questions.registry import type_of
from elearn.timeutil import utcnow

_PLACEHOLDER = re.compile(r'<div class="knowledge-check" data-check="([^"]+)"></div>')


@dataclass(frozen=True)
class CheckResult:
    grade: Grade | None
    error: str | None = None

    def as_json(self) -> dict:
        if self.error:
            return {"error": self.error}
        return {"correct": self.grade.correct, "verdict": self.grade.verdict, "fraction": self.grade.fraction,
                "feedback_html": self.grade.feedback_html}


def find(lesson: Lesson, key: str) -> dict | None:
    return next((check for check in lesson.checks if check["key"] == key), None)


def _answers(enrolment: Enrolment, lesson: Lesson) -> dict[str, CheckAnswer]:
    rows = db.session.scalars(
        select(CheckAnswer).where(CheckAnswer.enrolment_id == enrolment.id, CheckAnswer.lesson_id == lesson.id)
    )
    return {row.question_key: row for row in rows}


def render_lesson(lesson: Lesson, enrolment: Enrolment) -> str:
    """The lesson's stored HTML with each check's form (and feedback, once answered)."""
    if not lesson.checks:
        return lesson.body_html
    answers = _answers(enrolment, lesson)

    def widget(match: re.Match) -> str:
        question = find(lesson, match.group(1))
        if question is None:
            return ""
        saved = answers.get(question["key"])
        question_type = type_of(question)
        return render_template(
            "learn/check.html", lesson=lesson, question=question, template=question_type.template,
            options=question_type.options(question), answer=saved.answer if saved else None,
            grade=question_type.grade(question, saved.answer) if saved else None,
        )

    return _PLACEHOLDER.sub(widget, lesson.body_html)


def answer(enrolment: Enrolment, lesson: Lesson, question: dict, raw: list[str]) -> CheckResult:
    question_type = type_of(question)
    try:
        value = question_type.read(question, raw)
    except AnswerError as exc:
        return CheckResult(None, str(exc))
    grade = question_type.grade(question, value)
    row = _answers(enrolment, lesson).get(question["key"])
    if row is None:
        row = insert_once(
            CheckAnswer(enrolment_id=enrolment.id, lesson_id=lesson.id, question_key=question["key"]),
            lambda: _answers(enrolment, lesson)[question["key"]])
    row.answer, row.fraction, row.answered_at = value, grade.fraction, utcnow()
    return CheckResult(grade)
