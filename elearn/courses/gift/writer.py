"""Writing questions as GIFT text that Moodle imports and :func:`parse` reads back as equal."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from elearn.courses.gift.lexing import CATEGORY, escape
from elearn.courses.gift.types import (
    Choice,
    Description,
    Essay,
    Matching,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    Question,
    ShortAnswer,
    TrueFalse,
)


def write(questions: Iterable[Question]) -> str:
    """GIFT text for the questions, one blank line between them.

    A ``$CATEGORY:`` line is written whenever the category changes; as GIFT cannot go back to
    "no category", a question without one after one with one lands in the previous category.
    Not representable, hence not written: a Description's general feedback and text after,
    ``->`` in a short answer or on the left of a matching pair.
    """
    chunks: list[str] = []
    category = None
    for question in questions:
        if question.category is not None and question.category != category:
            chunks.append(f"{CATEGORY} {question.category}")
            category = question.category
        chunks.append(_question_text(question))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _question_text(question: Question) -> str:
    parts = []
    if question.title:
        parts.append(f"::{escape(question.title)}::")
    # "[" might be read as a marker and a line starting "//" as a comment; a marker avoids both.
    if question.text_format != "moodle" or question.text.startswith(("[", "//")):
        parts.append(f"[{question.text_format}]")
    if question.text:
        parts.append(escape(question.text))
    answer_lines = _ANSWER_LINES[question.kind]
    if answer_lines is None:
        return " ".join(parts)
    lines = answer_lines(question)
    if question.general_feedback:
        feedback = _part(question.general_feedback, question.general_feedback_format, question)
        lines = [*lines, "####" + feedback]
    block = "{" + "".join(lines) + "}" if len(lines) <= 1 else "{\n" + "\n".join(lines) + "\n}"
    after = f" {escape(question.text_after)}" if question.text_after else ""
    return " ".join([*parts, block]) + after


def _part(text: str, text_format: str, question: Question) -> str:
    """An answer's or a feedback's text, with a marker when its format is not the question's
    (as Moodle writes it) or when the text itself starts with ``[``."""
    resolved = text_format or question.text_format
    if resolved != question.text_format or text.startswith("["):
        return f"[{resolved}]{escape(text)}"
    return escape(text)


def _feedback(text: str, text_format: str, question: Question) -> str:
    return "#" + _part(text, text_format, question) if text else ""


def _true_false(question: TrueFalse) -> list[str]:
    line = "TRUE" if question.correct else "FALSE"
    if question.feedback_wrong or question.feedback_right:
        line += "#" + _part(question.feedback_wrong, question.feedback_wrong_format, question)
    if question.feedback_right:
        line += "#" + _part(question.feedback_right, question.feedback_right_format, question)
    return [line]


def _multiple_choice(question: MultipleChoice) -> list[str]:
    lines = []
    marked = question.multiple  # a multiple-answer question must not have any "="
    for choice in question.answers:
        if not marked and choice.fraction == 1.0:
            lines.append(_choice_line("=", 1.0, choice, question))
            marked = True
        else:
            lines.append(_choice_line("~", 0.0, choice, question))
    return lines


def _short_answer(question: ShortAnswer) -> list[str]:
    return [_choice_line("=", 1.0, choice, question) for choice in question.answers]


def _choice_line(marker: str, implied: float, choice: Choice, question: Question) -> str:
    """``=`` or ``~``, a weight unless the marker implies it, the text and the feedback."""
    # A text starting with "%" would be read as a weight, so it gets an explicit one first.
    needs_weight = choice.fraction != implied or choice.text.startswith("%")
    weight = f"%{_percent(choice.fraction)}%" if needs_weight else ""
    text = _part(choice.text, choice.text_format, question)
    return f"{marker}{weight}{text}{_feedback(choice.feedback, choice.feedback_format, question)}"


def _numerical(question: Numerical) -> list[str]:
    first, *others = [_numeric_line(answer, question) for answer in question.answers] or [""]
    return ["#" + first, *others]


def _numeric_line(answer: NumericAnswer, question: Numerical) -> str:
    feedback = _feedback(answer.feedback, answer.feedback_format, question)
    if answer.other:
        return f"~{feedback}"
    if answer.bounds:
        spec = f"{_number_text(answer.bounds[0])}..{_number_text(answer.bounds[1])}"
    elif answer.tolerance:
        spec = f"{_number_text(answer.value)}:{_number_text(answer.tolerance)}"
    else:
        spec = _number_text(answer.value)
    weight = "" if answer.fraction == 1.0 else f"%{_percent(answer.fraction)}%"
    return f"={weight}{spec}{feedback}"


def _matching(question: Matching) -> list[str]:
    pairs = [
        f"={_part(left, question.left_format(i), question)} -> {escape(right)}"
        for i, (left, right) in enumerate(question.pairs)
    ]
    return pairs + [f"= -> {escape(distractor)}" for distractor in question.distractors]


_ANSWER_LINES: dict[str, Callable | None] = {
    Description.kind: None,
    Essay.kind: lambda question: [],
    TrueFalse.kind: _true_false,
    MultipleChoice.kind: _multiple_choice,
    ShortAnswer.kind: _short_answer,
    Numerical.kind: _numerical,
    Matching.kind: _matching,
}


def _number_text(number: float) -> str:
    """The shortest text that reads back as the same float; "5" rather than "5.0"."""
    return repr(number).removesuffix(".0")


def _percent(fraction: float) -> str:
    """The fraction as a percentage that the parser turns back into the very same float."""
    return format(Decimal(repr(fraction)).scaleb(2), "f")
