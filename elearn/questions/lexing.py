"""The lexical layer of GIFT: escapes, comment lines, blocks of lines, and spans that remember
where they are, so that every :class:`Problem` can name its line; and the text formats GIFT
knows, which every text a learner sees has."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import NamedTuple

from flask_babel import gettext as _

FORMATS = ("moodle", "html", "markdown", "plain")
CATEGORY = "$CATEGORY:"
# What GIFT lets a backslash protect; "\\n" is a newline. Other backslashes are kept as typed
# (so a short answer's "\*" still reaches the grader as a literal star).
_ESCAPED = re.compile(r"\\([~=#{}:\\n])")
_SPECIAL = re.compile(r"[~=#{}:\\]")
_FORMAT_MARKER = re.compile(r"\[([A-Za-z]+)\]")
_PERCENT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")

Line = tuple[int, str]  # (line number in the source, text)


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


def unescape(raw: str) -> str:
    return _ESCAPED.sub(lambda match: "\n" if match[1] == "n" else match[1], raw)


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\g<0>", text).replace("\n", "\\n")


def blocks(text: str, first_line: int) -> Iterator[list[Line]]:
    """Numbered lines, grouped by blank lines, without ``//`` comment lines."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    block: list[Line] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            if block:
                yield block
            block = []
        elif not line.lstrip().startswith("//"):
            block.append((number, line))
    if block:
        yield block


@dataclass
class Block:
    """The lines of one question joined by newlines, remembering each line's number."""

    numbers: list[int]
    starts: list[int]
    text: str

    @classmethod
    def of(cls, lines: list[Line]) -> Block:
        numbers = [number for number, _text in lines]
        texts = [text for _number, text in lines]
        starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
        return cls(numbers, starts, "\n".join(texts))

    def line_at(self, offset: int) -> int:
        return self.numbers[bisect.bisect_right(self.starts, offset) - 1]

    def span(self) -> Span:
        return Span(self, 0, len(self.text))


@dataclass(frozen=True)
class Span:
    """A slice of a block that still knows its lines."""

    block: Block
    start: int
    end: int

    @property
    def raw(self) -> str:
        return self.block.text[self.start : self.end]

    @property
    def line(self) -> int:
        """The line of the first visible character, or of the start if there is none."""
        return self.block.line_at(self.strip().start)

    def strip(self) -> Span:
        raw = self.raw
        if not raw.strip():
            return Span(self.block, self.start, self.start)
        start = self.start + len(raw) - len(raw.lstrip())
        return Span(self.block, start, self.start + len(raw.rstrip()))

    def after(self, width: int) -> Span:
        return Span(self.block, self.start + width, self.end)

    def split(self, at: int, width: int) -> tuple[Span, Span]:
        """Before and after the ``width`` characters found at block offset ``at``."""
        return Span(self.block, self.start, at), Span(self.block, at + width, self.end)

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
        return unescape(self.strip().raw)

    def take_format(self) -> tuple[str, Span]:
        """The format its leading marker names (``""`` without one) and the span after it.

        As in Moodle, ``[`` and a word that names no format (in lower case) is text, not a marker.
        """
        span = self.strip()
        match = _FORMAT_MARKER.match(span.block.text, span.start, span.end)
        if match is None or match[1] not in FORMATS:
            return "", span
        return match[1], Span(span.block, match.end(), span.end).strip()

    def formatted(self, default: str) -> tuple[str, str]:
        """The format of this part of a question whose format is ``default`` (``""`` when it is
        the same, or when there is no text) and the text without its marker."""
        text_format, span = self.take_format()
        value = span.value()
        return ("" if text_format == default or not value else text_format), value


def formatted_of(span: Span | None, default: str) -> tuple[str, str]:
    return span.formatted(default) if span else ("", "")


def cut(span: Span, char: str, width: int = 1, last: bool = False) -> tuple[Span, Span | None]:
    """Split at the first (or ``last``) unescaped run of ``width`` × ``char``; None when there
    is none."""
    run = char * width
    places = [i for i in span.unescaped(char) if i + width <= span.end and span.block.text.startswith(run, i)]
    if not places:
        return span, None
    return span.split(places[-1] if last else places[0], width)


class Answer(NamedTuple):
    """One ``=`` or ``~`` answer of an answer block, before its type is known."""

    marker: str
    line: int
    span: Span  # after the marker


def split_answers(body: Span) -> tuple[Span, list[Answer]]:
    """What comes before the first ``=`` or ``~`` (nothing, if all is well), and the answers."""
    markers = list(body.unescaped("=~"))
    before = body.split(markers[0], 0)[0] if markers else body
    ends = [*markers[1:], body.end]
    answers = [
        Answer(body.block.text[at], body.block.line_at(at), Span(body.block, at + 1, end))
        for at, end in zip(markers, ends)
    ]
    return before, answers


def weighted(answer: Answer, problems: Problems) -> tuple[float, Span] | None:
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


class Problems:
    """Problems found so far; a step compares ``len()`` before and after to see if it added any."""

    def __init__(self, source: str):
        self.source = source
        self.found: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.found.append(Problem(self.source, line, message))

    def __len__(self) -> int:
        return len(self.found)
