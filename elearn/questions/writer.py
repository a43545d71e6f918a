"""Writing questions as GIFT text that Moodle imports and :func:`elearn.questions.parser.parse`
reads back as equal: the frame of a question here, its answer block written by its type."""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from elearn.questions.lexing import CATEGORY, escape
from elearn.questions.question import Question


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
    lines = question.gift_answers()
    if lines is None:
        return " ".join(parts)
    if question.general_feedback:
        feedback = part(question.general_feedback, question.general_feedback_format, question)
        lines = [*lines, "####" + feedback]
    block = "{" + "".join(lines) + "}" if len(lines) <= 1 else "{\n" + "\n".join(lines) + "\n}"
    after = f" {escape(question.text_after)}" if question.text_after else ""
    return " ".join([*parts, block]) + after


def part(text: str, text_format: str, question: Question) -> str:
    """An answer's or a feedback's text, with a marker when its format is not the question's
    (as Moodle writes it) or when the text itself starts with ``[``."""
    resolved = text_format or question.text_format
    if resolved != question.text_format or text.startswith("["):
        return f"[{resolved}]{escape(text)}"
    return escape(text)


def feedback(text: str, text_format: str, question: Question) -> str:
    return "#" + part(text, text_format, question) if text else ""


def number_text(number: float) -> str:
    """The shortest text that reads back as the same float; "5" rather than "5.0"."""
    return repr(number).removesuffix(".0")


def percent(fraction: float) -> str:
    """The fraction as a percentage that the parser turns back into the very same float."""
    return format(Decimal(repr(fraction)).scaleb(2), "f")
