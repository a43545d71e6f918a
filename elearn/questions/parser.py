"""Reading GIFT text into questions, reporting every problem with its line at once.

The frame of a question is read here (category, title, format, answer block, general
feedback), and the type told from the shape of its answer block; each type reads its own
answer block (``from_gift``)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from elearn.questions.description import Description
from elearn.questions.essay import Essay
from elearn.questions.lexing import (
    CATEGORY,
    Block,
    GiftError,
    Line,
    Problems,
    Span,
    blocks,
    cut,
    formatted_of,
    split_answers,
)
from elearn.questions.matching import Matching
from elearn.questions.multichoice import MultipleChoice
from elearn.questions.numerical import Numerical
from elearn.questions.question import Question
from elearn.questions.shortanswer import ShortAnswer
from elearn.questions.truefalse import TrueFalse


def parse(text: str, source: str = "<gift>", first_line: int = 1) -> list[Question]:
    """Read every question; raise :class:`GiftError` listing every problem if there is any.

    ``first_line`` is the line number of the text's first line, so a ```gift block inside a
    Markdown file reports the Markdown file's lines. Nothing but GiftError is ever raised.
    """
    problems = Problems(source)
    questions: list[Question] = []
    category = None
    for lines in blocks(text, first_line):
        category, lines = _take_categories(lines, category, problems)
        if lines:
            question = _question(Block.of(lines), category, problems)
            if question is not None:
                questions.append(question)
    if problems.found:
        raise GiftError(sorted(problems.found, key=lambda problem: problem.line))
    return questions


def _take_categories(
    lines: list[Line], category: str | None, problems: Problems
) -> tuple[str | None, list[Line]]:
    """Read the ``$CATEGORY:`` lines that open a block: the category now in force, lines left."""
    taken = 0
    for number, line in lines:
        if not line.strip().startswith(CATEGORY):
            break
        path = line.strip()[len(CATEGORY) :].strip()
        if path:
            category = path
        else:
            problems.add(number, _("The $CATEGORY line names no category."))
        taken += 1
    return category, lines[taken:]


def _question(block: Block, category: str | None, problems: Problems) -> Question | None:
    """One question, or None when it has problems (which are reported)."""
    found_before = len(problems)
    span = block.span().strip()
    titled = _take_title(span, problems)
    if titled is None:
        return None
    title, span = titled
    text_format, span = span.take_format()
    braces = _answer_blocks(span, problems)
    line = block.numbers[0]
    common = {
        "title": title, "text_format": text_format or "moodle", "category": category, "line": line,
    }
    if braces:
        question = _question_with_answers(span, braces[0], common, problems)
    elif span.value():
        question = Description(text=span.value(), **common)
    else:
        problems.add(line, _("The question has no text."))
        return None
    return question if len(problems) == found_before else None


def _take_title(span: Span, problems: Problems) -> tuple[str | None, Span] | None:
    """``::title::`` at the start; None (and a problem) when the title is never closed."""
    if not span.raw.startswith("::"):
        return None, span
    inside = span.after(2)
    title, rest = cut(inside, ":", 2)
    if rest is None:
        problems.add(span.line, _("The title is never closed: end it with '::'."))
        return None
    return title.value() or None, rest.strip()


def _answer_blocks(span: Span, problems: Problems) -> list[tuple[int, int]]:
    """Offsets of each ``{`` and its ``}``; braces that do not pair up are reported."""
    found: list[tuple[int, int]] = []
    opened: int | None = None
    for i in span.unescaped("{}"):
        if span.block.text[i] == "{":
            if opened is not None:
                _report_unclosed(span.block, opened, problems)
            opened = i
        elif opened is None:
            problems.add(
                span.block.line_at(i),
                _("This '}' closes nothing; write \\} for a brace that is part of the text."),
            )
        else:
            found.append((opened, i))
            opened = None
    if opened is not None:
        _report_unclosed(span.block, opened, problems)
    for opening, _closing in found[1:]:
        problems.add(
            span.block.line_at(opening),
            _(
                "A second answer block in the same question; "
                "put a blank line between questions, or write \\{ for a brace in the text."
            ),
        )
    return found


def _report_unclosed(block: Block, opening: int, problems: Problems) -> None:
    problems.add(block.line_at(opening), _("This '{' is never closed with '}'."))


def _question_with_answers(
    span: Span, braces: tuple[int, int], common: dict[str, Any], problems: Problems
) -> Question | None:
    opening, closing = braces
    head, rest = span.split(opening, 1)
    body, tail = rest.split(closing, 1)
    common.update(text=head.value(), text_after=tail.value())
    if not common["text"] and not common["text_after"]:
        problems.add(common["line"], _("The question has no text."))
    # Moodle takes the last "####": the general feedback comes after every answer.
    body, general = cut(body, "#", 4, last=True)
    common["general_feedback_format"], common["general_feedback"] = formatted_of(general, common["text_format"])
    return _typed_question(body, span.block.line_at(opening), common, problems)


def _typed_question(
    body: Span, at: int, common: dict[str, Any], problems: Problems
) -> Question | None:
    """Tell the type from the answers; ``at`` is the line of the ``{``."""
    body = body.strip()
    if not body.raw:
        return Essay(**common)
    if body.raw.startswith("#"):
        return Numerical.from_gift(body.after(1), at, common, problems)
    word, _feedback = cut(body, "#")
    if word.strip().raw.upper() in TrueFalse.WORDS:
        return TrueFalse.from_gift(body, common)
    before, answers = split_answers(body)
    if before.raw.strip() or not answers:
        problems.add(
            body.line,
            _(
                "Cannot tell the question type: answers start with = or ~, "
                "a numeric answer with #, true/false with T or F."
            ),
        )
        return None
    if any(answer.marker == "~" for answer in answers):
        return MultipleChoice.from_gift(answers, at, common, problems)
    # Only before a "#": a short answer's feedback may well contain "->".
    if any("->" in cut(answer.span, "#")[0].raw for answer in answers):
        return Matching.from_gift(answers, at, common, problems)
    return ShortAnswer.from_gift(answers, at, common, problems)
