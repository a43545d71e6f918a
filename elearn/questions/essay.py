"""Essays: an empty answer block, ``{}``; graded by a trainer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from elearn.questions.answers import Answer, Grade, TextInput
from elearn.questions.freetext import FreeText
from elearn.questions.question import Stored, general_html

ESSAY_LIMIT = 20_000


@dataclass(kw_only=True)
class Essay(FreeText):
    """Graded by a trainer: pending until then, unless left blank (which scores 0)."""

    kind: ClassVar[str] = "essay"
    graded_by_trainer: ClassVar[bool] = True
    widget: ClassVar[TextInput] = TextInput(ESSAY_LIMIT, multiline=True)

    def gift_answers(self) -> list[str]:
        return []

    @classmethod
    def grade(cls, question: Stored, answer: Answer) -> Grade:
        """The marks for a normalised answer (as :meth:`read` returns it, or as stored)."""
        if answer is None:
            return super().grade(question, answer)
        return Grade(None, general_html(question), correct=None, pending=True)

    @classmethod
    def correct_answer_html(cls, question: Stored) -> str:
        return ""
