"""Multiple-choice questions: one right choice marked ``=``, or several with weights and no
``=``."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import gettext as _

from elearn.questions.answers import (
    AnswerError,
    Choices,
    Feedback,
    Option,
    arranged,
    html_list,
    option_indices,
    permutation,
)
from elearn.questions.choices import Choice, choice_feedback, choice_line, read_choices, restored_choices
from elearn.questions.lexing import Answer, Problems
from elearn.questions.question import Question, Stored
from elearn.questions.text import part_html

# 0.1 percentage points: enough for 3 × 33.33333%, too little to hide a real mistake.
_WEIGHT_SUM_TOLERANCE = 0.001


@dataclass(kw_only=True)
class MultipleChoice(Question):
    """One right choice (``multiple`` False, marked ``=``) or several (weights, no ``=``).

    Graded by weight: one choice's weight counts, or the weights of several add up, kept
    within 0 and 1.
    """

    kind: ClassVar[str] = "multichoice"
    template: ClassVar[str | None] = "questions/choices.html"

    answers: list[Choice]
    multiple: bool = False

    def identity(self) -> list[Any]:
        return [self.multiple, [[choice.text, choice.fraction] for choice in self.answers]]

    @classmethod
    def from_gift(
        cls, answers: list[Answer], at: int, common: dict[str, Any], problems: Problems
    ) -> MultipleChoice | None:
        """The ``=`` and ``~`` answers of a block with at least one ``~``; ``at`` is the line of
        the ``{``."""
        choices = read_choices(answers, common["text_format"], problems)
        if choices is None:
            return None
        correct = [answer for answer in answers if answer.marker == "="]
        if len(choices) < 2:
            problems.add(at, _("A multiple-choice question needs at least two choices."))
        elif not correct:
            _check_weights_add_up(choices, at, problems)
        elif len(correct) > 1:
            problems.add(
                correct[1].line,
                _(
                    "Several answers are marked correct with '='; a single-choice question has one. "
                    "For several right answers, give each a weight such as %(example)s instead.",
                    example="~%50%",
                ),
            )
        elif not any(choice.fraction == 1.0 for choice in choices):
            problems.add(at, _("No answer is marked fully correct."))
        return cls(answers=choices, multiple=not correct, **common)

    def gift_answers(self) -> list[str]:
        lines = []
        marked = self.multiple  # a multiple-answer question must not have any "="
        for choice in self.answers:
            if not marked and choice.fraction == 1.0:
                lines.append(choice_line("=", 1.0, choice, self))
                marked = True
            else:
                lines.append(choice_line("~", 0.0, choice, self))
        return lines

    @classmethod
    def _restored(cls, values: dict[str, Any]) -> dict[str, Any]:
        return restored_choices(values)

    @classmethod
    def shuffle_order(cls, question: Stored, rng: random.Random) -> list[int]:
        return permutation(len(question["answers"]), rng)

    @classmethod
    def options(cls, question: Stored, order: list[int] | None = None) -> Choices:
        options = [
            Option(str(i), part_html(question, answer["text"], answer.get("text_format")))
            for i, answer in enumerate(question["answers"])
        ]
        return Choices(arranged(options, order), multiple=question["multiple"])

    @classmethod
    def read(cls, question: Stored, raw: list[str]) -> int | list[int] | None:
        chosen = option_indices(raw, len(question["answers"]))
        if question["multiple"]:
            return chosen or None
        if len(chosen) > 1:
            raise AnswerError(_("Choose only one option."))
        return chosen[0] if chosen else None

    @classmethod
    def _mark(cls, question: Stored, answer: int | list[int]) -> tuple[float, list[Feedback]]:
        chosen = answer if question["multiple"] else [answer]
        picked = [question["answers"][i] for i in chosen]
        return sum(a["fraction"] for a in picked), [choice_feedback(a) for a in picked]

    @classmethod
    def correct_answer_html(cls, question: Stored) -> str:
        right = [answer for answer in question["answers"] if answer["fraction"] > 0]
        return html_list([part_html(question, a["text"], a.get("text_format")) for a in right])


def _check_weights_add_up(choices: list[Choice], at: int, problems: Problems) -> None:
    total = sum(choice.fraction for choice in choices if choice.fraction > 0)
    if total == 0:
        problems.add(at, _("No answer is marked correct: mark the right answer with '='."))
    elif abs(total - 1) > _WEIGHT_SUM_TOLERANCE:
        problems.add(
            at,
            _(
                "The positive weights add up to %(total)s%%; with several right answers "
                "they must add up to 100%%.",
                total=f"{total * 100:.6g}",
            ),
        )
