"""Text between questions: nothing to answer, never counted."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from flask_babel import gettext as _

from elearn.questions.answers import Answer, AnswerError, Grade
from elearn.questions.question import Question, Stored


@dataclass(kw_only=True)
class Description(Question):
    """Text without answers. It has no answer block, so ``general_feedback`` cannot be written."""

    kind: ClassVar[str] = "description"
    template: ClassVar[str | None] = None
    answerable: ClassVar[bool] = False
    scored: ClassVar[bool] = False

    def gift_answers(self) -> None:
        return None

    @classmethod
    def options(cls, question: Stored, order: list[int] | None = None) -> None:
        return None

    @classmethod
    def read(cls, question: Stored, raw: list[str]) -> None:
        if any(value.strip() for value in raw):
            raise AnswerError(_("This part of the quiz takes no answer."))
        return None

    @classmethod
    def grade(cls, question: Stored, answer: Answer) -> Grade:
        return Grade(None, [], correct=None)

    @classmethod
    def correct_answer_html(cls, question: Stored) -> str:
        return ""
