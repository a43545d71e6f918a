"""Moodle's GIFT question format: our parser and writer. Pure Python: no Flask app, no database.

The parser reads what Moodle's importer reads, but where Moodle quietly guesses (a weight it
cannot read becomes 0%, a second ``=`` in a single-choice question also gets full marks) it
reports a :class:`Problem` with the line. It reports every problem in the text at once, so an
author fixes a quiz in one pass, and it never raises anything but :class:`GiftError`.

Questions are plain data, one class per type with a ``kind``; grading and rendering live
elsewhere, in registries keyed by ``kind``.

Decisions where GIFT leaves room:

- **One ``=`` per single-choice question.** The learner picks one choice, so two ``=``
  answers are almost always a slip or a question meant to have several right answers
  (which GIFT writes with ``~%50%`` weights and no ``=``). It is reported. An author who
  really wants "either of these earns full marks" writes the second one as ``~%100%``.
- **Several right answers** (no ``=`` at all) need positive weights adding up to 100%,
  within 0.1 percentage points so that three times ``~%33.33333%`` is accepted.
- **Matching** is an answer block with no ``~`` whose ``=`` answers contain ``->`` (before
  any ``#``, which starts a short answer's feedback). So a short answer cannot contain
  ``->``, and in a pair everything after the first ``->`` is the answer. Matching pairs have
  no feedback or weights: ``%`` and ``#`` there are plain text.
- **Format markers** (``[markdown]``, ``[html]``, ``[plain]``, ``[moodle]``) are recognised
  only at the start of the question text, after the title. ``[`` followed by letters and
  ``]`` is taken as a marker, so a text that starts with, say, ``[Pasal]`` needs an explicit
  ``[moodle]`` before it; the writer adds one.
- **Numeric ranges** ``#min..max`` keep their exact ``bounds``; ``value`` and ``tolerance``
  then hold the midpoint and half-width, which is what Moodle itself stores. Like
  multiple-choice and short-answer questions, a numeric one needs an answer worth 100%.
- **Identity**: a question's :attr:`Question.key` is the slug of its title or a hash of what
  it asks and what counts as right. Editing feedback keeps the key; changing the question,
  an answer or a weight gives a new one.
- ``$CATEGORY:`` lines count at the start of a block (before any question text); a category
  stays in force until the next one, so once set it cannot be unset.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any, ClassVar, NamedTuple

from flask_babel import gettext as _

__all__ = [
    "FORMATS",
    "Choice",
    "Description",
    "Essay",
    "GiftError",
    "Matching",
    "MultipleChoice",
    "Numerical",
    "NumericAnswer",
    "Problem",
    "Question",
    "ShortAnswer",
    "TrueFalse",
    "parse",
    "write",
]

FORMATS = ("moodle", "html", "markdown", "plain")

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# ASCII digits only: float() would also read Arabic-Indic digits, "nan", "inf" and "1_000".
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PERCENT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_FORMAT_MARKER = re.compile(r"\[([A-Za-z]+)\]")
_CATEGORY = "$CATEGORY:"
# What GIFT lets a backslash protect; "\\n" is a newline. Other backslashes are kept as typed.
_ESCAPED = re.compile(r"\\([~=#{}:\\n])")
_SPECIAL = re.compile(r"[~=#{}:\\]")
# 0.1 percentage points: enough for 3 × 33.33333%, too little to hide a real mistake.
_WEIGHT_SUM_TOLERANCE = 0.001


# --- The data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a GIFT text, in words an author can act on."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class GiftError(ValueError):
    """Everything wrong with a GIFT text, each problem with its line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Choice:
    """An answer of a multiple-choice or short-answer question; ``fraction`` is in [-1, 1]."""

    text: str
    fraction: float = 0.0
    feedback: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    """A number accepted within ``value ± tolerance``, or exactly within ``bounds`` if given."""

    value: float
    tolerance: float = 0.0
    fraction: float = 1.0
    feedback: str = ""
    bounds: tuple[float, float] | None = None

    @classmethod
    def between(
        cls, low: float, high: float, fraction: float = 1.0, feedback: str = ""
    ) -> NumericAnswer:
        """The ``#low..high`` form; halves first so that huge bounds cannot overflow."""
        return cls(low / 2 + high / 2, high / 2 - low / 2, fraction, feedback, (low, high))

    @property
    def low(self) -> float:
        return self.bounds[0] if self.bounds else self.value - self.tolerance

    @property
    def high(self) -> float:
        return self.bounds[1] if self.bounds else self.value + self.tolerance


@dataclass(kw_only=True)
class Question:
    """What every GIFT question has.

    In a missing-word question ``text`` is what comes before the answers (it may be empty) and
    ``text_after`` what follows them. ``line`` is where the question was read; it is not part
    of equality, so a question moved within its file is still the same question.
    """

    kind: ClassVar[str]

    text: str
    title: str | None = None
    text_after: str = ""
    text_format: str = "moodle"
    general_feedback: str = ""
    category: str | None = None
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> str:
        """Stable identity, so re-importing an edited course keeps learners' progress."""
        slug = _slug(self.title or "")
        if slug:
            return slug
        content = [self.kind, self.text, self.text_after, self._identity()]
        digest = hashlib.sha1(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
        return "q-" + digest[:12]

    def _identity(self) -> list[Any]:
        """What, besides the text, makes this a different question: the answers and weights."""
        return []

    def _answer_lines(self) -> list[str] | None:
        """The inside of the answer block as GIFT lines, or None for no block at all."""
        return []


@dataclass(kw_only=True)
class Description(Question):
    """Text without answers. It has no answer block, so ``general_feedback`` cannot be written."""

    kind: ClassVar[str] = "description"

    def _answer_lines(self) -> list[str] | None:
        return None


@dataclass(kw_only=True)
class Essay(Question):
    kind: ClassVar[str] = "essay"


@dataclass(kw_only=True)
class TrueFalse(Question):
    """``{T#wrong#right}``: the first feedback is shown to a learner who answered wrongly."""

    kind: ClassVar[str] = "truefalse"

    correct: bool
    feedback_wrong: str = ""
    feedback_right: str = ""

    def _identity(self) -> list[Any]:
        return [self.correct]

    def _answer_lines(self) -> list[str]:
        line = "TRUE" if self.correct else "FALSE"
        if self.feedback_wrong or self.feedback_right:
            line += "#" + _escape(self.feedback_wrong)
        if self.feedback_right:
            line += "#" + _escape(self.feedback_right)
        return [line]


@dataclass(kw_only=True)
class MultipleChoice(Question):
    """One right choice (``multiple`` False, marked ``=``) or several (weights, no ``=``)."""

    kind: ClassVar[str] = "multichoice"

    answers: list[Choice]
    multiple: bool = False

    def _identity(self) -> list[Any]:
        return [self.multiple, [[choice.text, choice.fraction] for choice in self.answers]]

    def _answer_lines(self) -> list[str]:
        lines = []
        marked = self.multiple  # a multiple-answer question must not have any "="
        for choice in self.answers:
            if not marked and choice.fraction == 1.0:
                lines.append(_choice_line("=", 1.0, choice))
                marked = True
            else:
                lines.append(_choice_line("~", 0.0, choice))
        return lines


@dataclass(kw_only=True)
class ShortAnswer(Question):
    kind: ClassVar[str] = "shortanswer"

    answers: list[Choice]

    def _identity(self) -> list[Any]:
        return [[choice.text, choice.fraction] for choice in self.answers]

    def _answer_lines(self) -> list[str]:
        return [_choice_line("=", 1.0, choice) for choice in self.answers]


@dataclass(kw_only=True)
class Numerical(Question):
    kind: ClassVar[str] = "numerical"

    answers: list[NumericAnswer]

    def _identity(self) -> list[Any]:
        return [[a.value, a.tolerance, a.bounds, a.fraction] for a in self.answers]

    def _answer_lines(self) -> list[str]:
        first, *others = [_numeric_line(answer) for answer in self.answers] or [""]
        return ["#" + first, *others]


@dataclass(kw_only=True)
class Matching(Question):
    """Pairs to match; ``distractors`` are extra answers that match nothing."""

    kind: ClassVar[str] = "matching"

    pairs: list[tuple[str, str]]
    distractors: list[str] = field(default_factory=list)

    def _identity(self) -> list[Any]:
        return [self.pairs, self.distractors]

    def _answer_lines(self) -> list[str]:
        return [f"={_escape(left)} -> {_escape(right)}" for left, right in self.pairs] + [
            f"= -> {_escape(distractor)}" for distractor in self.distractors
        ]


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


# --- Escapes --------------------------------------------------------------------------------


def _unescape(raw: str) -> str:
    return _ESCAPED.sub(lambda match: "\n" if match[1] == "n" else match[1], raw)


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\g<0>", text).replace("\n", "\\n")


# --- Where things are: blocks of lines and spans within them --------------------------------

_Line = tuple[int, str]  # (line number in the source, text)


@dataclass
class _Block:
    """The lines of one question joined by newlines, remembering each line's number."""

    numbers: list[int]
    starts: list[int]
    text: str

    @classmethod
    def of(cls, lines: list[_Line]) -> _Block:
        numbers = [number for number, _text in lines]
        texts = [text for _number, text in lines]
        starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
        return cls(numbers, starts, "\n".join(texts))

    def line_at(self, offset: int) -> int:
        return self.numbers[bisect.bisect_right(self.starts, offset) - 1]

    def span(self) -> _Span:
        return _Span(self, 0, len(self.text))


@dataclass(frozen=True)
class _Span:
    """A slice of a block that still knows its lines, so every problem can name one."""

    block: _Block
    start: int
    end: int

    @property
    def raw(self) -> str:
        return self.block.text[self.start : self.end]

    @property
    def line(self) -> int:
        """The line of the first visible character, or of the start if there is none."""
        return self.block.line_at(self.strip().start)

    def strip(self) -> _Span:
        raw = self.raw
        if not raw.strip():
            return _Span(self.block, self.start, self.start)
        start = self.start + len(raw) - len(raw.lstrip())
        return _Span(self.block, start, self.start + len(raw.rstrip()))

    def after(self, width: int) -> _Span:
        return _Span(self.block, self.start + width, self.end)

    def split(self, at: int, width: int) -> tuple[_Span, _Span]:
        """Before and after the ``width`` characters found at block offset ``at``."""
        return _Span(self.block, self.start, at), _Span(self.block, at + width, self.end)

    def unescaped(self, chars: str) -> Iterator[int]:
        """Block offsets of those ``chars`` that are not escaped by a backslash."""
        text, i = self.block.text, self.start
        while i < self.end:
            if text[i] == "\\":
                i += 2
                continue
            if text[i] in chars:
                yield i
            i += 1

    def value(self) -> str:
        return _unescape(self.strip().raw)


def _value(span: _Span | None) -> str:
    return span.value() if span else ""


def _cut(span: _Span, char: str, width: int = 1) -> tuple[_Span, _Span | None]:
    """Split at the first unescaped run of ``width`` × ``char``; None when there is none."""
    run = char * width
    for i in span.unescaped(char):
        if i + width <= span.end and span.block.text.startswith(run, i):
            return span.split(i, width)
    return span, None


class _Answer(NamedTuple):
    marker: str  # "=" or "~"
    line: int
    span: _Span  # after the marker


class _Problems:
    """Problems found so far; a step compares ``len()`` before and after to see if it added any."""

    def __init__(self, source: str):
        self.source = source
        self.found: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.found.append(Problem(self.source, line, message))

    def __len__(self) -> int:
        return len(self.found)


# --- Parsing --------------------------------------------------------------------------------


def parse(text: str, source: str = "<gift>", first_line: int = 1) -> list[Question]:
    """Read every question; raise :class:`GiftError` listing every problem if there is any.

    ``first_line`` is the line number of the text's first line, so a ```gift block inside a
    Markdown file reports the Markdown file's lines. Nothing but GiftError is ever raised.
    """
    problems = _Problems(source)
    questions: list[Question] = []
    category = None
    for lines in _blocks(text, first_line):
        category, lines = _take_categories(lines, category, problems)
        if lines:
            question = _question(_Block.of(lines), category, problems)
            if question is not None:
                questions.append(question)
    if problems.found:
        raise GiftError(sorted(problems.found, key=lambda problem: problem.line))
    return questions


def _blocks(text: str, first_line: int) -> Iterator[list[_Line]]:
    """Numbered lines, grouped by blank lines, without ``//`` comment lines."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    block: list[_Line] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            if block:
                yield block
            block = []
        elif not line.lstrip().startswith("//"):
            block.append((number, line))
    if block:
        yield block


def _take_categories(
    lines: list[_Line], category: str | None, problems: _Problems
) -> tuple[str | None, list[_Line]]:
    """Read the ``$CATEGORY:`` lines that open a block: the category now in force, lines left."""
    taken = 0
    for number, line in lines:
        if not line.strip().startswith(_CATEGORY):
            break
        path = line.strip()[len(_CATEGORY) :].strip()
        if path:
            category = path
        else:
            problems.add(number, _("The $CATEGORY line names no category."))
        taken += 1
    return category, lines[taken:]


def _question(block: _Block, category: str | None, problems: _Problems) -> Question | None:
    """One question, or None when it has problems (which are reported)."""
    found_before = len(problems)
    span = block.span().strip()
    titled = _take_title(span, problems)
    if titled is None:
        return None
    title, span = titled
    text_format, span = _take_format(span, problems)
    braces = _answer_blocks(span, problems)
    line = block.numbers[0]
    common = {"title": title, "text_format": text_format, "category": category, "line": line}
    if braces:
        question = _question_with_answers(span, braces[0], common, problems)
    elif span.value():
        question = Description(text=span.value(), **common)
    else:
        problems.add(line, _("The question has no text."))
        return None
    return question if len(problems) == found_before else None


def _take_title(span: _Span, problems: _Problems) -> tuple[str | None, _Span] | None:
    """``::title::`` at the start; None (and a problem) when the title is never closed."""
    if not span.raw.startswith("::"):
        return None, span
    inside = span.after(2)
    title, rest = _cut(inside, ":", 2)
    if rest is None:
        problems.add(span.line, _("The title is never closed: end it with '::'."))
        return None
    return title.value() or None, rest.strip()


def _take_format(span: _Span, problems: _Problems) -> tuple[str, _Span]:
    match = _FORMAT_MARKER.match(span.block.text, span.start, span.end)
    if match is None:
        return "moodle", span
    name = match[1].lower()
    if name not in FORMATS:
        problems.add(
            span.line,
            _(
                "Unknown format marker [%(name)s]: use [moodle], [markdown], [html] or [plain].",
                name=match[1],
            ),
        )
    return name, _Span(span.block, match.end(), span.end).strip()


def _answer_blocks(span: _Span, problems: _Problems) -> list[tuple[int, int]]:
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


def _report_unclosed(block: _Block, opening: int, problems: _Problems) -> None:
    problems.add(block.line_at(opening), _("This '{' is never closed with '}'."))


def _question_with_answers(
    span: _Span, braces: tuple[int, int], common: dict[str, Any], problems: _Problems
) -> Question | None:
    opening, closing = braces
    head, rest = span.split(opening, 1)
    body, tail = rest.split(closing, 1)
    common.update(text=head.value(), text_after=tail.value())
    if not common["text"] and not common["text_after"]:
        problems.add(common["line"], _("The question has no text."))
    body, general = _cut(body, "#", 4)
    common["general_feedback"] = _value(general)
    return _typed_question(body, span.block.line_at(opening), common, problems)


def _typed_question(
    body: _Span, at: int, common: dict[str, Any], problems: _Problems
) -> Question | None:
    """Tell the type from the answers; ``at`` is the line of the ``{``."""
    body = body.strip()
    if not body.raw:
        return Essay(**common)
    if body.raw.startswith("#"):
        return _numerical(body.after(1), at, common, problems)
    word, _feedback = _cut(body, "#")
    if word.strip().raw.upper() in _TRUE_FALSE:
        return _true_false(body, common)
    before, answers = _split_answers(body)
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
    if any("->" in _cut(answer.span, "#")[0].raw for answer in answers):
        return _matching(answers, at, common, problems)
    return _short_answer(answers, at, common, problems)


def _split_answers(body: _Span) -> tuple[_Span, list[_Answer]]:
    """What comes before the first ``=`` or ``~`` (nothing, if all is well), and the answers."""
    markers = list(body.unescaped("=~"))
    before = body.split(markers[0], 0)[0] if markers else body
    ends = [*markers[1:], body.end]
    answers = [
        _Answer(body.block.text[at], body.block.line_at(at), _Span(body.block, at + 1, end))
        for at, end in zip(markers, ends)
    ]
    return before, answers


def _true_false(body: _Span, common: dict[str, Any]) -> TrueFalse:
    word, feedback = _cut(body, "#")
    wrong, right = _cut(feedback, "#") if feedback else (None, None)
    return TrueFalse(
        correct=_TRUE_FALSE[word.strip().raw.upper()],
        feedback_wrong=_value(wrong),
        feedback_right=_value(right),
        **common,
    )


def _multiple_choice(
    answers: list[_Answer], at: int, common: dict[str, Any], problems: _Problems
) -> MultipleChoice | None:
    choices = _choices(answers, problems)
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


def _check_weights_add_up(choices: list[Choice], at: int, problems: _Problems) -> None:
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
    answers: list[_Answer], at: int, common: dict[str, Any], problems: _Problems
) -> ShortAnswer | None:
    choices = _choices(answers, problems)
    if choices is None:
        return None
    if not any(choice.fraction == 1.0 for choice in choices):
        problems.add(at, _("No answer is marked fully correct."))
    return ShortAnswer(answers=choices, **common)


def _choices(answers: list[_Answer], problems: _Problems) -> list[Choice] | None:
    """All answers as choices, or None if any of them is wrong (each wrong one is reported)."""
    choices = []
    for answer in answers:
        weighted = _weighted(answer, problems)
        if weighted is None:
            continue
        fraction, rest = weighted
        text, feedback = _cut(rest, "#")
        if text.value():
            choices.append(Choice(text.value(), fraction, _value(feedback)))
        else:
            problems.add(answer.line, _("An answer is empty."))
    return choices if len(choices) == len(answers) else None


def _weighted(answer: _Answer, problems: _Problems) -> tuple[float, _Span] | None:
    """The answer's fraction (from ``%weight%`` or its marker) and the span after the weight."""
    span = answer.span.strip()
    if not span.raw.startswith("%"):
        return (1.0 if answer.marker == "=" else 0.0), span
    closing = span.raw.find("%", 1)
    if closing < 0:
        problems.add(answer.line, _("The weight has no closing '%(sign)s'.", sign="%"))
        return None
    written = span.raw[1:closing]
    if not _PERCENT.fullmatch(written):
        problems.add(
            answer.line,
            _(
                "'%(weight)s' is not a weight: write a percentage such as %(example)s.",
                weight=written,
                example="%50%",
            ),
        )
        return None
    percent = Decimal(written)
    if abs(percent) > 100:
        problems.add(
            answer.line, _("The weight %(weight)s%% is not between -100%% and 100%%.", weight=written)
        )
        return None
    # Exact decimal shift, then one rounding: the writer relies on this to round-trip weights.
    return float(percent.scaleb(-2)), span.after(closing + 1)


def _matching(
    answers: list[_Answer], at: int, common: dict[str, Any], problems: _Problems
) -> Matching:
    found_before = len(problems)
    pairs: list[tuple[str, str]] = []
    distractors: list[str] = []
    for answer in answers:
        arrow = answer.span.raw.find("->")
        if arrow < 0:
            problems.add(answer.line, _("This matching pair has no '->' between question and answer."))
            continue
        left, right = answer.span.split(answer.span.start + arrow, 2)
        if not right.value():
            problems.add(answer.line, _("An answer is empty."))
        elif left.value():
            pairs.append((left.value(), right.value()))
        else:
            distractors.append(right.value())
    if len(problems) == found_before and len(pairs) < 2:
        problems.add(at, _("A matching question needs at least two pairs 'question -> answer'."))
    return Matching(pairs=pairs, distractors=distractors, **common)


def _numerical(
    body: _Span, at: int, common: dict[str, Any], problems: _Problems
) -> Numerical | None:
    """``{#...}``: one answer right after the ``#``, or a list of ``=`` answers."""
    body = body.strip()
    if not body.raw:
        problems.add(at, _("The numeric question has no answer after '#'."))
        return None
    if body.raw[0] in "=~":
        _before, answers = _split_answers(body)
    else:
        answers = [_Answer("=", body.line, body)]
    parsed = [_numeric_answer(answer, problems) for answer in answers]
    if None in parsed:
        return None
    if not any(answer.fraction == 1.0 for answer in parsed):
        problems.add(at, _("No answer is marked fully correct."))
    return Numerical(answers=parsed, **common)


def _numeric_answer(answer: _Answer, problems: _Problems) -> NumericAnswer | None:
    weighted = _weighted(answer, problems)
    if weighted is None:
        return None
    fraction, rest = weighted
    spec, feedback = _cut(rest, "#")
    written = spec.strip().raw
    if ".." in written:
        bounds = _range(written, answer.line, problems)
        return None if bounds is None else NumericAnswer.between(*bounds, fraction, _value(feedback))
    target = _value_and_tolerance(written, answer.line, problems)
    return None if target is None else NumericAnswer(*target, fraction, _value(feedback))


def _range(written: str, line: int, problems: _Problems) -> tuple[float, float] | None:
    """``min..max``."""
    low_text, _dots, high_text = written.partition("..")
    low, high = _number(low_text, line, problems), _number(high_text, line, problems)
    if low is None or high is None:
        return None
    if low > high:
        problems.add(line, _("The range %(range)s starts above where it ends.", range=written))
        return None
    return low, high


def _value_and_tolerance(written: str, line: int, problems: _Problems) -> tuple[float, float] | None:
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


def _number(written: str, line: int, problems: _Problems) -> float | None:
    written = written.strip()
    if _NUMBER.fullmatch(written) and math.isfinite(number := float(written)):
        return number
    problems.add(line, _("'%(text)s' is not a number.", text=written))
    return None


# --- Writing --------------------------------------------------------------------------------


def write(questions: Iterable[Question]) -> str:
    """GIFT text that Moodle imports and :func:`parse` reads back as equal questions.

    A ``$CATEGORY:`` line is written whenever the category changes; as GIFT cannot go back to
    "no category", a question without one after one with one lands in the previous category.
    Not representable, hence not written: a Description's general feedback and text after,
    ``->`` in a short answer or on the left of a matching pair.
    """
    chunks: list[str] = []
    category = None
    for question in questions:
        if question.category is not None and question.category != category:
            chunks.append(f"{_CATEGORY} {question.category}")
            category = question.category
        chunks.append(_question_text(question))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _question_text(question: Question) -> str:
    parts = []
    if question.title:
        parts.append(f"::{_escape(question.title)}::")
    # "[" might be read as a marker and a line starting "//" as a comment; a marker avoids both.
    if question.text_format != "moodle" or question.text.startswith(("[", "//")):
        parts.append(f"[{question.text_format}]")
    if question.text:
        parts.append(_escape(question.text))
    lines = question._answer_lines()
    if lines is None:
        return " ".join(parts)
    if question.general_feedback:
        lines = [*lines, "####" + _escape(question.general_feedback)]
    block = "{" + "".join(lines) + "}" if len(lines) <= 1 else "{\n" + "\n".join(lines) + "\n}"
    after = f" {_escape(question.text_after)}" if question.text_after else ""
    return " ".join([*parts, block]) + after


def _choice_line(marker: str, implied: float, choice: Choice) -> str:
    """``=`` or ``~``, a weight unless the marker implies it, the text and the feedback."""
    # A text starting with "%" would be read as a weight, so it gets an explicit one first.
    needs_weight = choice.fraction != implied or choice.text.startswith("%")
    weight = f"%{_percent(choice.fraction)}%" if needs_weight else ""
    feedback = f"#{_escape(choice.feedback)}" if choice.feedback else ""
    return f"{marker}{weight}{_escape(choice.text)}{feedback}"


def _numeric_line(answer: NumericAnswer) -> str:
    if answer.bounds:
        spec = f"{_number_text(answer.bounds[0])}..{_number_text(answer.bounds[1])}"
    elif answer.tolerance:
        spec = f"{_number_text(answer.value)}:{_number_text(answer.tolerance)}"
    else:
        spec = _number_text(answer.value)
    weight = "" if answer.fraction == 1.0 else f"%{_percent(answer.fraction)}%"
    feedback = f"#{_escape(answer.feedback)}" if answer.feedback else ""
    return f"={weight}{spec}{feedback}"


def _number_text(number: float) -> str:
    """The shortest text that reads back as the same float; "5" rather than "5.0"."""
    return repr(number).removesuffix(".0")


def _percent(fraction: float) -> str:
    """The fraction as a percentage that the parser turns back into the very same float."""
    return format(Decimal(repr(fraction)).scaleb(2), "f")
