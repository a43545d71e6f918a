"""True/false questions: ``{T}``, ``{FALSE}``, with a feedback for each case."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, ClassVar

from flask_babel import gettext as _

from elearn.questions.answers import AnswerError, Choices, Feedback, Option, filled
from elearn.questions.lexing import Span, cut, formatted_of
from elearn.questions.question import Question, Stored
from elearn.questions.writer import part


@dataclass(kw_only=True)
class TrueFalse(Question):
    """``{T#wrong#right}``: the first feedback is shown to a learner who answered wrongly.

    Graded as right or wrong, with the feedback GIFT writes for each case.
    """

    kind: ClassVar[str] = "truefalse"
    template: ClassVar[str | None] = "questions/choices.html"
    # How GIFT writes the answer, in any case.
    WORDS: ClassVar[dict[str, bool]] = {"T": True, "TRUE": True, "F": False, "FALSE": False}
    _VALUES: ClassVar[dict[str, bool]] = {"true": True, "false": False}

    correct: bool
    feedback_wrong: str = ""
    feedback_right: str = ""
    feedback_wrong_format: str = ""
    feedback_right_format: str = ""

    def identity(self) -> list[Any]:
        return [self.correct]

    @classmethod
    def from_gift(cls, body: Span, common: dict[str, Any]) -> TrueFalse:
        """The answer block, which starts with one of :attr:`WORDS`."""
        word, feedback = cut(body, "#")
        wrong, right = cut(feedback, "#") if feedback else (None, None)
        wrong_format, wrong_text = formatted_of(wrong, common["text_format"])
        right_format, right_text = formatted_of(right, common["text_format"])
        return cls(
            correct=cls.WORDS[word.strip().raw.upper()],
            feedback_wrong=wrong_text,
            feedback_right=right_text,
            feedback_wrong_format=wrong_format,
            feedback_right_format=right_format,
            **common,
        )

    def gift_answers(self) -> list[str]:
        line = "TRUE" if self.correct else "FALSE"
        if self.feedback_wrong or self.feedback_right:
            line += "#" + part(self.feedback_wrong, self.feedback_wrong_format, self)
        if self.feedback_right:
            line += "#" + part(self.feedback_right, self.feedback_right_format, self)
        return [line]

    @classmethod
    def options(cls, question: Stored, order: list[int] | None = None) -> Choices:
        return Choices([Option("true", escape(_("True"))), Option("false", escape(_("False")))],
                       multiple=False)

    @classmethod
    def read(cls, question: Stored, raw: list[str]) -> bool | None:
        values = filled(raw)
        if len(values) > 1:
            raise AnswerError(_("Choose only one option."))
        if values and values[0] not in cls._VALUES:
            raise AnswerError(_("That option is not part of this question."))
        return cls._VALUES[values[0]] if values else None

    @classmethod
    def _mark(cls, question: Stored, answer: bool) -> tuple[float, list[Feedback]]:
        if answer == question["correct"]:
            return 1.0, [(question["feedback_right"], question.get("feedback_right_format"))]
        return 0.0, [(question["feedback_wrong"], question.get("feedback_wrong_format"))]

    @classmethod
    def correct_answer_html(cls, question: Stored) -> str:
        return f"<p>{escape(_('True') if question['correct'] else _('False'))}</p>"
