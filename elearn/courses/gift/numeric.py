"""Numeric answers: ``{#value}``, ``{#value:tolerance}``, ``{#min..max}``, several weighted
``=`` answers, and ``~#feedback`` for any other number."""
from __future__ import annotations

import math
import re
from typing import Any

from flask_babel import gettext as _

from elearn.courses.gift.lexing import Answer, Problems, Span, cut, formatted_of, split_answers, weighted
from elearn.courses.gift.types import Numerical, NumericAnswer

# ASCII digits only: float() would also read Arabic-Indic digits, "nan", "inf" and "1_000".
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def numerical(
    body: Span, at: int, common: dict[str, Any], problems: Problems
) -> Numerical | None:
    """``{#...}``: one answer right after the ``#``, or a list of ``=`` answers, then at most
    one ``~#feedback`` for any other number (Moodle's wrong-answer feedback)."""
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
    return Numerical(answers=parsed, **common)


def _numeric_answer(answer: Answer, default: str, problems: Problems) -> NumericAnswer | None:
    read = weighted(answer, problems)
    if read is None:
        return None
    fraction, rest = read
    spec, feedback = cut(rest, "#")
    feedback_format, feedback_text = formatted_of(feedback, default)
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
    before, feedback = cut(span, "#")
    if before.raw.strip():
        problems.add(
            span.line,
            _("After '~' in a numeric question only feedback for a wrong answer may follow: ~#feedback."),
        )
        return None
    feedback_format, feedback_text = formatted_of(feedback, default)
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
    if _NUMBER.fullmatch(written) and math.isfinite(number := float(written)):
        return number
    problems.add(line, _("'%(text)s' is not a number.", text=written))
    return None
