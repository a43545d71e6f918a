"""The questions GIFT describes, as plain data: one class per type, each with a ``kind``.

Every text a learner sees has a format (``moodle``, ``markdown``, ``html`` or ``plain``).
The question's own ``text_format`` is the default of all its parts; a part whose format is
``""`` uses it, as Moodle's importer does for answers and feedback written without a marker.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar

FORMATS = ("moodle", "html", "markdown", "plain")


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
    text_format: str = ""
    feedback_format: str = ""


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
    general_feedback_format: str = ""
    category: str | None = None
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> str:
        """Stable identity, so re-importing an edited course keeps learners' progress.

        Two questions of a file may have the same key (Moodle allows repeated texts and
        titles); the course loader tells them apart by their order.
        """
        slug = slug_of(self.title or "")
        if slug:
            return slug
        content = [self.kind, self.text, self.text_after, self.identity()]
        digest = hashlib.sha1(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
        return "q-" + digest[:12]

    def identity(self) -> list[Any]:
        """What, besides the text, makes this a different question: the answers and weights."""
        return []


@dataclass(kw_only=True)
class Description(Question):
    """Text without answers. It has no answer block, so ``general_feedback`` cannot be written."""

    kind: ClassVar[str] = "description"


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
    feedback_wrong_format: str = ""
    feedback_right_format: str = ""

    def identity(self) -> list[Any]:
        return [self.correct]


@dataclass(kw_only=True)
class MultipleChoice(Question):
    """One right choice (``multiple`` False, marked ``=``) or several (weights, no ``=``)."""

    kind: ClassVar[str] = "multichoice"

    answers: list[Choice]
    multiple: bool = False

    def identity(self) -> list[Any]:
        return [self.multiple, [[choice.text, choice.fraction] for choice in self.answers]]


@dataclass(kw_only=True)
class ShortAnswer(Question):
    """Typed answers, compared as Moodle does: any case, ``*`` standing for any characters."""

    kind: ClassVar[str] = "shortanswer"

    answers: list[Choice]

    def identity(self) -> list[Any]:
        return [[choice.text, choice.fraction] for choice in self.answers]


@dataclass(kw_only=True)
class Numerical(Question):
    kind: ClassVar[str] = "numerical"

    answers: list[NumericAnswer]

    def identity(self) -> list[Any]:
        # The catch-all answer is left out so that keys from before it existed stay the same.
        return [[a.value, a.tolerance, a.bounds, a.fraction] for a in self.answers if not a.other]


@dataclass(kw_only=True)
class Matching(Question):
    """Pairs to match; ``distractors`` are extra answers that match nothing.

    ``left_formats`` holds the format of each pair's left side, or is empty when all of them
    use the question's format.
    """

    kind: ClassVar[str] = "matching"

    pairs: list[tuple[str, str]]
    distractors: list[str] = field(default_factory=list)
    left_formats: list[str] = field(default_factory=list)

    def identity(self) -> list[Any]:
        return [self.pairs, self.distractors]

    def left_format(self, index: int) -> str:
        return self.left_formats[index] if self.left_formats else ""


TYPES: dict[str, type[Question]] = {
    cls.kind: cls
    for cls in (Description, Essay, TrueFalse, MultipleChoice, ShortAnswer, Numerical, Matching)
}


def slug_of(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
