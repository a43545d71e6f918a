"""Short answers: typed, and compared as Moodle compares them."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any, ClassVar

from flask_babel import gettext as _

from elearn.questions.answers import Feedback, html_list
from elearn.questions.choices import Choice, choice_feedback, choice_line, read_choices, restored_choices
from elearn.questions.freetext import FreeText
from elearn.questions.lexing import Answer, Problems
from elearn.questions.question import Stored

# Moodle's wildcard: a run of stars not preceded by a backslash.
_WILDCARD = re.compile(r"(?<!\\)\*+")


@dataclass(kw_only=True)
class ShortAnswer(FreeText):
    """Typed answers, compared as Moodle does: any case, ``*`` standing for any characters.

    As Moodle grades a GIFT short answer: the first answer, in the order written, that
    matches the typed text in any case, where ``*`` stands for any characters and ``\\*``
    for a star. We also ignore how the spacing was typed.
    """

    kind: ClassVar[str] = "shortanswer"

    answers: list[Choice]

    def identity(self) -> list[Any]:
        return [[choice.text, choice.fraction] for choice in self.answers]

    @classmethod
    def from_gift(
        cls, answers: list[Answer], at: int, common: dict[str, Any], problems: Problems
    ) -> ShortAnswer | None:
        """A block of ``=`` answers only; ``at`` is the line of the ``{``."""
        choices = read_choices(answers, common["text_format"], problems)
        if choices is None:
            return None
        if not any(choice.fraction == 1.0 for choice in choices):
            problems.add(at, _("No answer is marked fully correct."))
        return cls(answers=choices, **common)

    def gift_answers(self) -> list[str]:
        return [choice_line("=", 1.0, choice, self) for choice in self.answers]

    @classmethod
    def _restored(cls, values: dict[str, Any]) -> dict[str, Any]:
        return restored_choices(values)

    @classmethod
    def _mark(cls, question: Stored, answer: str) -> tuple[float, list[Feedback]]:
        typed = _comparable(answer)
        first = next((a for a in question["answers"] if _matches(typed, a["text"])), None)
        return (first["fraction"], [choice_feedback(first)]) if first else (0.0, [])

    @classmethod
    def correct_answer_html(cls, question: Stored) -> str:
        top = max(answer["fraction"] for answer in question["answers"])
        return html_list(
            [escape(a["text"]) for a in question["answers"] if a["fraction"] == top]
        )


def _comparable(text: str) -> str:
    """How short answers are compared: same letters, any case, any spacing."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


@lru_cache(maxsize=4096)
def _literal_parts(accepted: str) -> tuple[str, ...]:
    """An accepted short answer cut at its wildcards (runs of unescaped ``*``)."""
    return tuple(part.replace("\\*", "*") for part in _WILDCARD.split(_comparable(accepted)))


def _matches(typed: str, accepted: str) -> bool:
    """Whether the typed text fits the accepted answer, in time linear in their lengths.

    A regular expression with several ``.*`` can take minutes on a long typed answer; taking
    each part at its first place left to right finds a fit whenever there is one.
    """
    parts = _literal_parts(accepted)
    if len(parts) == 1:
        return typed == parts[0]
    first, *middle, last = parts
    if len(typed) < len(first) + len(last) or not typed.startswith(first) or not typed.endswith(last):
        return False
    at, end = len(first), len(typed) - len(last)
    for part in middle:
        found = typed.find(part, at, end)
        if found < 0:
            return False
        at = found + len(part)
    return True
