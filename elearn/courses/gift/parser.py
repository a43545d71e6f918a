"""Reading GIFT text into questions, reporting every problem with its line at once."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from elearn.courses.gift.lexing import (
    CATEGORY,
    Answer,
    Block,
    Line,
    Problems,
    Span,
    blocks,
    cut,
    formatted_of,
    split_answers,
    weighted,
)
from elearn.courses.gift.numeric import numerical
from elearn.courses.gift.types import (
    Choice,
    Description,
    Essay,
    GiftError,
    Matching,
    MultipleChoice,
    Question,
    ShortAnswer,
    TrueFalse,
)

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# 0.1 percentage points: enough for 3 × 33.33333%, too little to hide a real mistake.
_WEIGHT_SUM_TOLERANCE = 0.001


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
        return numerical(body.after(1), at, common, problems)
    word, _feedback = cut(body, "#")
    if word.strip().raw.upper() in _TRUE_FALSE:
        return _true_false(body, common)
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
        return _multiple_choice(answers, at, common, problems)
    # Only before a "#": a short answer's feedback may well contain "->".
    if any("->" in cut(answer.span, "#")[0].raw for answer in answers):
        return _matching(answers, at, common, problems)
    return _short_answer(answers, at, common, problems)


def _true_false(body: Span, common: dict[str, Any]) -> TrueFalse:
    word, feedback = cut(body, "#")
    wrong, right = cut(feedback, "#") if feedback else (None, None)
    wrong_format, wrong_text = formatted_of(wrong, common["text_format"])
    right_format, right_text = formatted_of(right, common["text_format"])
    return TrueFalse(
        correct=_TRUE_FALSE[word.strip().raw.upper()],
        feedback_wrong=wrong_text,
        feedback_right=right_text,
        feedback_wrong_format=wrong_format,
        feedback_right_format=right_format,
        **common,
    )


def _multiple_choice(
    answers: list[Answer], at: int, common: dict[str, Any], problems: Problems
) -> MultipleChoice | None:
    choices = _choices(answers, common["text_format"], problems)
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
    return MultipleChoice(answers=choices, multiple=not correct, **common)


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


def _short_answer(
    answers: list[Answer], at: int, common: dict[str, Any], problems: Problems
) -> ShortAnswer | None:
    choices = _choices(answers, common["text_format"], problems)
    if choices is None:
        return None
    if not any(choice.fraction == 1.0 for choice in choices):
        problems.add(at, _("No answer is marked fully correct."))
    return ShortAnswer(answers=choices, **common)


def _choices(answers: list[Answer], default: str, problems: Problems) -> list[Choice] | None:
    """All answers as choices, or None if any of them is wrong (each wrong one is reported)."""
    choices = []
    for answer in answers:
        read = weighted(answer, problems)
        if read is None:
            continue
        fraction, rest = read
        text, feedback = cut(rest, "#")
        text_format, value = text.formatted(default)
        feedback_format, feedback_text = formatted_of(feedback, default)
        if value:
            choices.append(Choice(value, fraction, feedback_text, text_format, feedback_format))
        else:
            problems.add(answer.line, _("An answer is empty."))
    return choices if len(choices) == len(answers) else None


def _matching(
    answers: list[Answer], at: int, common: dict[str, Any], problems: Problems
) -> Matching:
    found_before = len(problems)
    pairs: list[tuple[str, str]] = []
    formats: list[str] = []
    distractors: list[str] = []
    for answer in answers:
        arrow = answer.span.raw.find("->")
        if arrow < 0:
            problems.add(answer.line, _("This matching pair has no '->' between question and answer."))
            continue
        left, right = answer.span.split(answer.span.start + arrow, 2)
        left_format, left_text = left.formatted(common["text_format"])
        if not right.value():
            problems.add(answer.line, _("An answer is empty."))
        elif left_text:
            pairs.append((left_text, right.value()))
            formats.append(left_format)
        else:
            distractors.append(right.value())
    if len(problems) == found_before and len(pairs) < 2:
        problems.add(at, _("A matching question needs at least two pairs 'question -> answer'."))
    left_formats = formats if any(formats) else []
    return Matching(pairs=pairs, distractors=distractors, left_formats=left_formats, **common)
