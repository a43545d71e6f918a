"""The weighted answers that multiple-choice and short-answer questions share: read from GIFT,
written back, and their feedback once one is picked or typed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from elearn.questions.answers import Feedback
from elearn.questions.lexing import Answer, Problems, cut, formatted_of, weighted
from elearn.questions.question import Question
from elearn.questions.writer import feedback, part, percent


@dataclass(frozen=True)
class Choice:
    """An answer of a multiple-choice or short-answer question; ``fraction`` is in [-1, 1]."""

    text: str
    fraction: float = 0.0
    feedback: str = ""
    text_format: str = ""
    feedback_format: str = ""


def read_choices(answers: list[Answer], default: str, problems: Problems) -> list[Choice] | None:
    """All answers as choices, or None if any of them is wrong (each wrong one is reported)."""
    choices = []
    for answer in answers:
        read = weighted(answer, problems)
        if read is None:
            continue
        fraction, rest = read
        text, feedback_span = cut(rest, "#")
        text_format, value = text.formatted(default)
        feedback_format, feedback_text = formatted_of(feedback_span, default)
        if value:
            choices.append(Choice(value, fraction, feedback_text, text_format, feedback_format))
        else:
            problems.add(answer.line, _("An answer is empty."))
    return choices if len(choices) == len(answers) else None


def choice_line(marker: str, implied: float, choice: Choice, question: Question) -> str:
    """``=`` or ``~``, a weight unless the marker implies it, the text and the feedback."""
    # A text starting with "%" would be read as a weight, so it gets an explicit one first.
    needs_weight = choice.fraction != implied or choice.text.startswith("%")
    weight = f"%{percent(choice.fraction)}%" if needs_weight else ""
    text = part(choice.text, choice.text_format, question)
    return f"{marker}{weight}{text}{feedback(choice.feedback, choice.feedback_format, question)}"


def choice_feedback(answer: dict[str, Any]) -> Feedback:
    """A stored choice's feedback, for the grade of the learner who chose or typed it."""
    return answer["feedback"], answer.get("feedback_format")


def restored_choices(values: dict[str, Any]) -> dict[str, Any]:
    """Stored values with their answers as :class:`Choice` again."""
    if "answers" in values:
        values["answers"] = [Choice(**a) for a in values["answers"]]
    return values
