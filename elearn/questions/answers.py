"""What a learner answers with, what a form posts back, and the grade it earns.

Answers are normalised into JSON-ready values so an attempt can store them and be graded
again later against the same course version:

- multichoice: the chosen option index (``int``), or a sorted ``list[int]`` when several
  answers are allowed;
- truefalse: ``bool``; numerical: ``float``; shortanswer and essay: the text (``str``);
- matching: ``{left index as str: chosen right-hand text}``;
- ``None`` for no answer at all, which scores 0 (and is all a description ever gets).

Option ids in forms are the indices into the question's ``answers`` (or matching ``pairs``)
as strings, so they say nothing about which option is right, whatever the display order.
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, NamedTuple, TypeAlias

from flask_babel import gettext as _

Answer: TypeAlias = int | list[int] | bool | float | str | dict[str, str] | None
# A feedback text and its format (None: the question's).
Feedback: TypeAlias = tuple[str, str | None]


class AnswerError(ValueError):
    """A posted answer that no honest form can send; the message can be shown as it is."""


@dataclass(frozen=True)
class Grade:
    """The result of one question.

    ``fraction`` is in [0, 1], or None when the question is not scored automatically: a
    description (never counted) or an essay waiting for a trainer (``pending``). An essay a
    trainer has graded also keeps the trainer's ``comment`` (plain text, shown to the learner),
    who graded it (``graded_by``, a user id) and when (``graded_at``, ISO 8601).
    """

    fraction: float | None
    feedback_html: list[str]
    correct: bool | None
    pending: bool = False
    comment: str | None = None
    graded_by: int | None = None
    graded_at: str | None = None

    def as_data(self) -> dict[str, Any]:
        """JSON-ready, for an attempt's ``grades`` column."""
        return asdict(self)

    def by_trainer(self, fraction: float, comment: str, grader_id: int, at: datetime) -> Grade:
        """This pending essay grade as a trainer settled it; the question's feedback stays."""
        return replace(self, fraction=fraction, correct=fraction == 1.0, pending=False,
                       comment=comment or None, graded_by=grader_id, graded_at=at.isoformat())

    @property
    def verdict(self) -> str:
        """What the learner is told: "right", "partly" (some credit) or "wrong"."""
        if self.correct:
            return "right"
        return "partly" if self.fraction else "wrong"

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Grade:
        return cls(**data)


# --- What the quiz page shows ---------------------------------------------------------------


class Option(NamedTuple):
    """One thing to pick: the id the form posts back and its sanitised HTML."""

    id: str
    html: str


@dataclass(frozen=True)
class Choices:
    """Radio buttons, or check boxes when ``multiple``."""

    options: list[Option]
    multiple: bool


@dataclass(frozen=True)
class TextInput:
    """A free answer; ``numeric`` asks for a decimal keyboard, ``multiline`` for a text area."""

    max_length: int
    multiline: bool = False
    numeric: bool = False


@dataclass(frozen=True)
class Matches:
    """One drop-down per left item, each offering every ``choices`` text (plain, not HTML).

    The form posts one ``"<left id>:<choice text>"`` value per left item; ``"<left id>:"``
    (nothing chosen yet) is allowed.
    """

    lefts: list[Option]
    choices: list[str]


def posted_values(answer: Answer) -> set[str]:
    """A stored answer as the form values that would post it, to check the right inputs again."""
    if answer is None:
        return set()
    if isinstance(answer, bool):
        return {"true" if answer else "false"}
    if isinstance(answer, dict):
        return {f"{left}:{right}" for left, right in answer.items()}
    if isinstance(answer, list):
        return {str(value) for value in answer}
    return {str(answer)}


# --- Reading what a form posted -------------------------------------------------------------


def filled(raw: list[str]) -> list[str]:
    """Posted values without blanks (an empty placeholder option is not an answer)."""
    return [value for value in raw if value]


def option_indices(raw: list[str], count: int) -> list[int]:
    """Sorted indices of the chosen options; only the exact ids "0".."count-1" are accepted."""
    values = filled(raw)
    ids = {str(i) for i in range(count)}
    if any(value not in ids for value in values):
        raise AnswerError(_("That option is not part of this question."))
    if len(set(values)) != len(values):
        raise AnswerError(_("An option was chosen more than once."))
    return sorted(int(value) for value in values)


# --- Showing the options --------------------------------------------------------------------


def permutation(count: int, rng: random.Random) -> list[int]:
    return rng.sample(range(count), count)


def arranged(items: list[Any], order: list[int] | None) -> list[Any]:
    """``items`` in the order drawn at the start of the attempt, or as written."""
    if order is None:
        return list(items)
    if sorted(order) != list(range(len(items))):
        raise ValueError(f"{order} is not an order of {len(items)} options")
    return [items[i] for i in order]


def html_list(items_html: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items_html) + "</ul>"
