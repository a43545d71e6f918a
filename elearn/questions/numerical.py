"""Numeric questions: ``{#value}``, ``{#value:tolerance}``, ``{#min..max}``, several weighted
``=`` answers, and ``~#feedback`` for any other number."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape
from typing import Any, ClassVar

from flask_babel import gettext as _

from elearn.questions.answers import AnswerError, Feedback, TextInput, html_list
from elearn.questions.freetext import TEXT_LIMIT, FreeText
from elearn.questions.lexing import Answer, Problems, Span, cut, formatted_of, split_answers, weighted
from elearn.questions.question import Stored
from elearn.questions.writer import feedback, number_text, percent

# ASCII digits only: float() alone would also take "nan", "inf", "1_000" and Arabic-Indic digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Bounds are inclusive; this keeps 0.1 + 0.2 inside a range that ends at 0.3.
RELATIVE_EPSILON = 1e-9


@dataclass(frozen=True)
class NumericAnswer:
    """A number accepted within ``value ± tolerance``, or exactly within ``bounds`` if given.

    ``other`` marks Moodle's answer for any other number, written ``~#feedback``: it accepts
    every number and exists to carry the feedback of a wrong answer.
    """

    value: float
    tolerance: float = 0.0
    fraction: float = 1.0
    feedback: str = ""
    bounds: tuple[float, float] | None = None
    feedback_format: str = ""
    other: bool = False

    @classmethod
    def between(
        cls, low: float, high: float, fraction: float = 1.0, feedback: str = "", feedback_format: str = ""
    ) -> NumericAnswer:
        """The ``#low..high`` form; halves first so that huge bounds cannot overflow."""
        return cls(low / 2 + high / 2, high / 2 - low / 2, fraction, feedback, (low, high), feedback_format)

    @property
    def low(self) -> float:
        if self.other:
            return -float("inf")
        return self.bounds[0] if self.bounds else self.value - self.tolerance

    @property
    def high(self) -> float:
        if self.other:
            return float("inf")
        return self.bounds[1] if self.bounds else self.value + self.tolerance


@dataclass(kw_only=True)
class Numerical(FreeText):
    """As Moodle grades it: the first answer, in the order written, whose range holds the
    number, both ends included; ``~#feedback`` holds every number."""

    kind: ClassVar[str] = "numerical"
    widget: ClassVar[TextInput] = TextInput(TEXT_LIMIT, numeric=True)

    answers: list[NumericAnswer]

    def identity(self) -> list[Any]:
        # The catch-all answer is left out so that keys from before it existed stay the same.
        return [[a.value, a.tolerance, a.bounds, a.fraction] for a in self.answers if not a.other]

    @classmethod
    def from_gift(cls, body: Span, at: int, common: dict[str, Any], problems: Problems) -> Numerical | None:
        """``{#...}`` (``body`` is what follows the ``#``): one answer right after the ``#``, or a
        list of ``=`` answers, then at most one ``~#feedback`` for any other number (Moodle's
        wrong-answer feedback)."""
        body, otherwise = cut(body.strip(), "~")
        body = body.strip()
        if not body.raw:
            problems.add(at, _("The numeric question has no answer after '#'."))
            return None
        # The first answer may go without "=", as in {#2:0.5 =%50%3}.
        before, answers = split_answers(body)
        if before.raw.strip():
            answers = [Answer("=", before.line, before), *answers]
        default = common["text_format"]
        parsed = [_numeric_answer(answer, default, problems) for answer in answers]
        if otherwise is not None:
            parsed.append(_other_number(otherwise, default, problems))
        if None in parsed:
            return None
        if not any(answer.fraction == 1.0 for answer in parsed):
            problems.add(at, _("No answer is marked fully correct."))
        return cls(answers=parsed, **common)

    def gift_answers(self) -> list[str]:
        first, *others = [self._gift_line(answer) for answer in self.answers] or [""]
        return ["#" + first, *others]

    def _gift_line(self, answer: NumericAnswer) -> str:
        written_feedback = feedback(answer.feedback, answer.feedback_format, self)
        if answer.other:
            return f"~{written_feedback}"
        if answer.bounds:
            spec = f"{number_text(answer.bounds[0])}..{number_text(answer.bounds[1])}"
        elif answer.tolerance:
            spec = f"{number_text(answer.value)}:{number_text(answer.tolerance)}"
        else:
            spec = number_text(answer.value)
        weight = "" if answer.fraction == 1.0 else f"%{percent(answer.fraction)}%"
        return f"={weight}{spec}{written_feedback}"

    @classmethod
    def _restored(cls, values: dict[str, Any]) -> dict[str, Any]:
        if "answers" in values:
            values["answers"] = [_stored_answer(a) for a in values["answers"]]
        return values

    @classmethod
    def _parse(cls, text: str) -> float:
        # Indonesian writes 3,5; a lone comma is a decimal comma. Anything cleverer guesses.
        number = _finite(text.replace(",", ".") if text.count(",") == 1 else text)
        if number is None:
            raise AnswerError(_("Please enter a number, for example 12 or 3,5."))
        return number

    @classmethod
    def _mark(cls, question: Stored, answer: float) -> tuple[float, list[Feedback]]:
        answers = cls.from_data(question).answers
        first = next((a for a in answers if _within(answer, a.low, a.high)), None)
        return (first.fraction, [(first.feedback, first.feedback_format)]) if first else (0.0, [])

    @classmethod
    def correct_answer_html(cls, question: Stored) -> str:
        answers = cls.from_data(question).answers
        top = max(answer.fraction for answer in answers)
        return html_list([escape(_accepted(a)) for a in answers if a.fraction == top])


# --- Reading GIFT ---------------------------------------------------------------------------


def _numeric_answer(answer: Answer, default: str, problems: Problems) -> NumericAnswer | None:
    read = weighted(answer, problems)
    if read is None:
        return None
    fraction, rest = read
    spec, feedback_span = cut(rest, "#")
    feedback_format, feedback_text = formatted_of(feedback_span, default)
    written = spec.strip().raw
    if ".." in written:
        bounds = _range(written, answer.line, problems)
        if bounds is None:
            return None
        return NumericAnswer.between(*bounds, fraction, feedback_text, feedback_format)
    target = _value_and_tolerance(written, answer.line, problems)
    if target is None:
        return None
    value, tolerance = target
    return NumericAnswer(value, tolerance, fraction, feedback_text, None, feedback_format)


def _other_number(span: Span, default: str, problems: Problems) -> NumericAnswer | None:
    """``~#feedback`` (the feedback may be left out): any other number, worth nothing."""
    before, feedback_span = cut(span, "#")
    if before.raw.strip():
        problems.add(
            span.line,
            _("After '~' in a numeric question only feedback for a wrong answer may follow: ~#feedback."),
        )
        return None
    feedback_format, feedback_text = formatted_of(feedback_span, default)
    return NumericAnswer(0.0, 0.0, 0.0, feedback_text, None, feedback_format, other=True)


def _range(written: str, line: int, problems: Problems) -> tuple[float, float] | None:
    """``min..max``."""
    low_text, _dots, high_text = written.partition("..")
    low, high = _number(low_text, line, problems), _number(high_text, line, problems)
    if low is None or high is None:
        return None
    if low > high:
        problems.add(line, _("The range %(range)s starts above where it ends.", range=written))
        return None
    return low, high


def _value_and_tolerance(written: str, line: int, problems: Problems) -> tuple[float, float] | None:
    """``value:tolerance``, or a bare ``value`` that must be met exactly."""
    value_text, colon, tolerance_text = written.partition(":")
    value = _number(value_text, line, problems)
    tolerance = _number(tolerance_text, line, problems) if colon else 0.0
    if value is None or tolerance is None:
        return None
    if tolerance < 0:
        problems.add(
            line, _("The tolerance %(tolerance)s is negative.", tolerance=tolerance_text.strip())
        )
        return None
    return value, tolerance


def _number(written: str, line: int, problems: Problems) -> float | None:
    written = written.strip()
    number = _finite(written)
    if number is None:
        problems.add(line, _("'%(text)s' is not a number.", text=written))
    return number


def _finite(written: str) -> float | None:
    """The number written in ASCII digits, or None for anything else (also for a number too
    large to be finite)."""
    if _NUMBER.fullmatch(written) and math.isfinite(number := float(written)):
        return number
    return None


# --- As stored and graded -------------------------------------------------------------------


def _stored_answer(answer: dict[str, Any]) -> NumericAnswer:
    if answer.get("bounds") is not None:
        answer = {**answer, "bounds": tuple(answer["bounds"])}
    return NumericAnswer(**answer)


def _within(number: float, low: float, high: float) -> bool:
    epsilon = RELATIVE_EPSILON * max(abs(low), abs(high), 1.0)
    return low - epsilon <= number <= high + epsilon


def _accepted(answer: NumericAnswer) -> str:
    """A numeric answer as an author would write it: 10, 10 ± 2 or 5 – 7."""
    if answer.bounds:
        return f"{number_text(answer.low)} – {number_text(answer.high)}"
    if answer.tolerance:
        return f"{number_text(answer.value)} ± {number_text(answer.tolerance)}"
    return number_text(answer.value)
