"""Answering and grading quiz questions. Pure Python over the question dicts that
:func:`elearn.courses.questions.to_data` stores: no request, no session, no database.

Each GIFT kind is one small class in :data:`GRADERS` that knows what the quiz page shows
(:meth:`QuestionType.options`), how to read what a form posted (:meth:`QuestionType.read`),
how to grade it (:meth:`QuestionType.grade`) and how to describe the right answer
(:meth:`QuestionType.correct_answer_html`). Callers look the class up by ``question["kind"]``
and never branch on the kind themselves.

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

import math
import random
import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from datetime import datetime
from html import escape
from typing import Any, ClassVar, NamedTuple, TypeAlias

from flask_babel import gettext as _

from elearn.courses.gift import NumericAnswer
from elearn.courses.questions import from_data, part_html

__all__ = [
    "GRADERS",
    "AnswerError",
    "Choices",
    "Grade",
    "Matches",
    "Option",
    "QuestionType",
    "TextInput",
    "grade_attempt",
    "score",
]

Question: TypeAlias = dict[str, Any]
Answer: TypeAlias = int | list[int] | bool | float | str | dict[str, str] | None
# A feedback text and its format (None: the question's).
Feedback: TypeAlias = tuple[str, str | None]

TEXT_LIMIT = 2_000
ESSAY_LIMIT = 20_000
# The parser accepts weights that add up to 100% within 0.1 percentage points (3 × 33.33333%),
# so choosing every right answer of such a question must still earn full marks.
FULL_MARKS_TOLERANCE = 0.001
# Bounds are inclusive; this keeps 0.1 + 0.2 inside a range that ends at 0.3.
RELATIVE_EPSILON = 1e-9
# ASCII digits only: float() alone would also take "nan", "inf", "1_000" and Arabic-Indic digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Moodle's wildcard: a run of stars not preceded by a backslash.
_WILDCARD = re.compile(r"(?<!\\)\*+")


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


# --- The registry ---------------------------------------------------------------------------


class QuestionType:
    """How one kind of question is shown, read and graded.

    The classes are used as they are, never instantiated: every method takes the question's
    stored dict. Subclasses say how an answer earns marks in :meth:`_mark`; the common rules
    (no answer scores 0, fractions stay in [0, 1], general feedback comes last) live here once.
    """

    kind: ClassVar[str]
    scored: ClassVar[bool] = True

    @classmethod
    def shuffle_order(cls, question: Question, rng: random.Random) -> list[int] | None:
        """An order for the options, drawn when an attempt starts; None: nothing to shuffle."""
        return None

    @classmethod
    def options(cls, question: Question, order: list[int] | None = None) -> Any:
        """What the learner answers with, revealing nothing about what is right."""
        raise NotImplementedError

    @classmethod
    def read(cls, question: Question, raw: list[str]) -> Answer:
        """The posted form values as a normalised answer; :class:`AnswerError` if tampered with."""
        raise NotImplementedError

    @classmethod
    def grade(cls, question: Question, answer: Answer) -> Grade:
        """The marks for a normalised answer (as :meth:`read` returns it, or as stored)."""
        if answer is None:
            return Grade(0.0, _general(question), correct=False)
        fraction, feedback = cls._mark(question, answer)
        fraction = _settled(fraction)
        rendered = [part_html(question, text, text_format) for text, text_format in feedback if text]
        return Grade(fraction, rendered + _general(question), correct=fraction == 1.0)

    @classmethod
    def _mark(cls, question: Question, answer: Any) -> tuple[float, list[Feedback]]:
        """The raw fraction earned and the GIFT feedback for what was answered."""
        raise NotImplementedError

    @classmethod
    def correct_answer_html(cls, question: Question) -> str:
        """The right answer, for the result page when the course lets learners see it."""
        raise NotImplementedError


class DescriptionType(QuestionType):
    """Text between questions: nothing to answer, never counted."""

    kind = "description"
    scored = False

    @classmethod
    def options(cls, question: Question, order: list[int] | None = None) -> None:
        return None

    @classmethod
    def read(cls, question: Question, raw: list[str]) -> None:
        if any(value.strip() for value in raw):
            raise AnswerError(_("This part of the quiz takes no answer."))
        return None

    @classmethod
    def grade(cls, question: Question, answer: Answer) -> Grade:
        return Grade(None, [], correct=None)

    @classmethod
    def correct_answer_html(cls, question: Question) -> str:
        return ""


class MultipleChoiceType(QuestionType):
    """One choice (its weight counts) or several (their weights add up, within 0 and 1)."""

    kind = "multichoice"

    @classmethod
    def shuffle_order(cls, question: Question, rng: random.Random) -> list[int]:
        return _permutation(len(question["answers"]), rng)

    @classmethod
    def options(cls, question: Question, order: list[int] | None = None) -> Choices:
        options = [
            Option(str(i), part_html(question, answer["text"], answer.get("text_format")))
            for i, answer in enumerate(question["answers"])
        ]
        return Choices(_arranged(options, order), multiple=question["multiple"])

    @classmethod
    def read(cls, question: Question, raw: list[str]) -> int | list[int] | None:
        chosen = _option_indices(raw, len(question["answers"]))
        if question["multiple"]:
            return chosen or None
        if len(chosen) > 1:
            raise AnswerError(_("Choose only one option."))
        return chosen[0] if chosen else None

    @classmethod
    def _mark(cls, question: Question, answer: int | list[int]) -> tuple[float, list[Feedback]]:
        chosen = answer if question["multiple"] else [answer]
        picked = [question["answers"][i] for i in chosen]
        return sum(a["fraction"] for a in picked), [_choice_feedback(a) for a in picked]

    @classmethod
    def correct_answer_html(cls, question: Question) -> str:
        right = [answer for answer in question["answers"] if answer["fraction"] > 0]
        return _html_list([part_html(question, a["text"], a.get("text_format")) for a in right])


class TrueFalseType(QuestionType):
    """Right or wrong, with the feedback GIFT writes for each case."""

    kind = "truefalse"
    _VALUES: ClassVar[dict[str, bool]] = {"true": True, "false": False}

    @classmethod
    def options(cls, question: Question, order: list[int] | None = None) -> Choices:
        return Choices([Option("true", escape(_("True"))), Option("false", escape(_("False")))],
                       multiple=False)

    @classmethod
    def read(cls, question: Question, raw: list[str]) -> bool | None:
        values = _filled(raw)
        if len(values) > 1:
            raise AnswerError(_("Choose only one option."))
        if values and values[0] not in cls._VALUES:
            raise AnswerError(_("That option is not part of this question."))
        return cls._VALUES[values[0]] if values else None

    @classmethod
    def _mark(cls, question: Question, answer: bool) -> tuple[float, list[Feedback]]:
        if answer == question["correct"]:
            return 1.0, [(question["feedback_right"], question.get("feedback_right_format"))]
        return 0.0, [(question["feedback_wrong"], question.get("feedback_wrong_format"))]

    @classmethod
    def correct_answer_html(cls, question: Question) -> str:
        return f"<p>{escape(_('True') if question['correct'] else _('False'))}</p>"


class _FreeText(QuestionType):
    """A typed answer: one value, bounded in length, blank meaning no answer."""

    widget: ClassVar[TextInput] = TextInput(TEXT_LIMIT)

    @classmethod
    def options(cls, question: Question, order: list[int] | None = None) -> TextInput:
        return cls.widget

    @classmethod
    def read(cls, question: Question, raw: list[str]) -> Answer:
        if len(raw) > 1:
            raise AnswerError(_("Only one answer can be given here."))
        # Browsers send a text area's line breaks as CRLF; count them as one character.
        text = (raw[0] if raw else "").replace("\r\n", "\n").strip()
        limit = cls.widget.max_length
        if len(text) > limit:
            raise AnswerError(
                _("The answer is too long: at most %(limit)s characters.", limit=limit)
            )
        return cls._parse(text) if text else None

    @classmethod
    def _parse(cls, text: str) -> Answer:
        return text


class ShortAnswerType(_FreeText):
    """As Moodle grades a GIFT short answer: the first answer, in the order written, that
    matches the typed text in any case, where ``*`` stands for any characters and ``\\*``
    for a star. We also ignore how the spacing was typed."""

    kind = "shortanswer"

    @classmethod
    def _mark(cls, question: Question, answer: str) -> tuple[float, list[Feedback]]:
        typed = _comparable(answer)
        first = next((a for a in question["answers"] if _matches(typed, a["text"])), None)
        return (first["fraction"], [_choice_feedback(first)]) if first else (0.0, [])

    @classmethod
    def correct_answer_html(cls, question: Question) -> str:
        top = max(answer["fraction"] for answer in question["answers"])
        return _html_list(
            [escape(a["text"]) for a in question["answers"] if a["fraction"] == top]
        )


class NumericalType(_FreeText):
    """As Moodle grades it: the first answer, in the order written, whose range holds the
    number, both ends included; ``~#feedback`` holds every number."""

    kind = "numerical"
    widget = TextInput(TEXT_LIMIT, numeric=True)

    @classmethod
    def _parse(cls, text: str) -> float:
        # Indonesian writes 3,5; a lone comma is a decimal comma. Anything cleverer guesses.
        written = text.replace(",", ".") if text.count(",") == 1 else text
        if _NUMBER.fullmatch(written) and math.isfinite(number := float(written)):
            return number
        raise AnswerError(_("Please enter a number, for example 12 or 3,5."))

    @classmethod
    def _mark(cls, question: Question, answer: float) -> tuple[float, list[Feedback]]:
        answers = from_data(question).answers
        first = next((a for a in answers if _within(answer, a.low, a.high)), None)
        return (first.fraction, [(first.feedback, first.feedback_format)]) if first else (0.0, [])

    @classmethod
    def correct_answer_html(cls, question: Question) -> str:
        answers = from_data(question).answers
        top = max(answer.fraction for answer in answers)
        return _html_list([escape(_accepted(a)) for a in answers if a.fraction == top])


class EssayType(_FreeText):
    """Graded by a trainer: pending until then, unless left blank (which scores 0)."""

    kind = "essay"
    widget = TextInput(ESSAY_LIMIT, multiline=True)

    @classmethod
    def grade(cls, question: Question, answer: Answer) -> Grade:
        """The marks for a normalised answer (as :meth:`read` returns it, or as stored)."""
        if answer is None:
            return super().grade(question, answer)
        return Grade(None, _general(question), correct=None, pending=True)

    @classmethod
    def correct_answer_html(cls, question: Question) -> str:
        return ""


class MatchingType(QuestionType):
    """Each left item earns an equal share when matched to its right-hand text."""

    kind = "matching"

    @classmethod
    def shuffle_order(cls, question: Question, rng: random.Random) -> list[int]:
        return _permutation(len(_match_choices(question)), rng)

    @classmethod
    def options(cls, question: Question, order: list[int] | None = None) -> Matches:
        """The left items as written; ``order`` arranges the right-hand choices."""
        lefts = [
            Option(str(i), part_html(question, left, _left_format(question, i)))
            for i, (left, _right) in enumerate(question["pairs"])
        ]
        return Matches(lefts, _arranged(_match_choices(question), order))

    @classmethod
    def read(cls, question: Question, raw: list[str]) -> dict[str, str] | None:
        lefts = {str(i) for i in range(len(question["pairs"]))}
        choices = set(_match_choices(question))
        matched: dict[str, str] = {}
        for value in _filled(raw):
            left, colon, right = value.partition(":")
            if not colon or left not in lefts or (right and right not in choices):
                raise AnswerError(_("That option is not part of this question."))
            if left in matched:
                raise AnswerError(_("Each item can be matched only once."))
            if right:
                matched[left] = right
        return dict(sorted(matched.items(), key=lambda item: int(item[0]))) or None

    @classmethod
    def _mark(cls, question: Question, answer: dict[str, str]) -> tuple[float, list[Feedback]]:
        pairs = question["pairs"]
        right = sum(answer.get(str(i)) == expected for i, (_left, expected) in enumerate(pairs))
        return right / len(pairs), []

    @classmethod
    def correct_answer_html(cls, question: Question) -> str:
        rows = "".join(
            f"<dt>{part_html(question, left, _left_format(question, i))}</dt><dd>{escape(right)}</dd>"
            for i, (left, right) in enumerate(question["pairs"])
        )
        return f"<dl>{rows}</dl>"


GRADERS: dict[str, type[QuestionType]] = {
    cls.kind: cls
    for cls in (DescriptionType, EssayType, TrueFalseType, MultipleChoiceType, ShortAnswerType,
                NumericalType, MatchingType)
}


# --- Scoring a whole attempt ----------------------------------------------------------------


def score(questions: list[Question], grades: dict[str, Grade]) -> float | None:
    """The percentage (0–100, 2 decimals) over scored questions, each worth the same.

    None while an essay waits for a trainer. A quiz must have a scored question: the course
    loader refuses one made of descriptions only, so meeting one here is a caller's bug.
    """
    scored = [grades[q["key"]] for q in questions if GRADERS[q["kind"]].scored]
    if not scored:
        raise ValueError("A quiz without scored questions cannot be scored.")
    if any(grade.pending for grade in scored):
        return None
    return round(100 * sum(grade.fraction or 0.0 for grade in scored) / len(scored), 2)


def grade_attempt(
    questions: list[Question], answers: dict[str, Answer]
) -> tuple[dict[str, Grade], float | None]:
    """Every question's grade (unanswered ones score 0) and the attempt's score."""
    grades = {q["key"]: GRADERS[q["kind"]].grade(q, answers.get(q["key"])) for q in questions}
    return grades, score(questions, grades)


# --- Small pieces ---------------------------------------------------------------------------


def _general(question: Question) -> list[str]:
    return [question["general_feedback_html"]] if question["general_feedback_html"] else []


def _settled(fraction: float) -> float:
    """Within [0, 1], and full marks when within the tolerance the parser allows weights."""
    if fraction >= 1 - FULL_MARKS_TOLERANCE:
        return 1.0
    return max(fraction, 0.0)


def _filled(raw: list[str]) -> list[str]:
    """Posted values without blanks (an empty placeholder option is not an answer)."""
    return [value for value in raw if value]


def _option_indices(raw: list[str], count: int) -> list[int]:
    """Sorted indices of the chosen options; only the exact ids "0".."count-1" are accepted."""
    values = _filled(raw)
    ids = {str(i) for i in range(count)}
    if any(value not in ids for value in values):
        raise AnswerError(_("That option is not part of this question."))
    if len(set(values)) != len(values):
        raise AnswerError(_("An option was chosen more than once."))
    return sorted(int(value) for value in values)


def _permutation(count: int, rng: random.Random) -> list[int]:
    return rng.sample(range(count), count)


def _arranged(items: list[Any], order: list[int] | None) -> list[Any]:
    """``items`` in the order drawn at the start of the attempt, or as written."""
    if order is None:
        return list(items)
    if sorted(order) != list(range(len(items))):
        raise ValueError(f"{order} is not an order of {len(items)} options")
    return [items[i] for i in order]


def _match_choices(question: Question) -> list[str]:
    """Every right-hand text and distractor once, sorted, so their order gives nothing away."""
    texts = {right for _left, right in question["pairs"]} | set(question["distractors"])
    return sorted(texts, key=lambda text: (text.casefold(), text))


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


def _choice_feedback(answer: dict[str, Any]) -> Feedback:
    return answer["feedback"], answer.get("feedback_format")


def _left_format(question: Question, index: int) -> str | None:
    formats = question.get("left_formats")
    return formats[index] if formats else None


def _within(number: float, low: float, high: float) -> bool:
    epsilon = RELATIVE_EPSILON * max(abs(low), abs(high), 1.0)
    return low - epsilon <= number <= high + epsilon


def _accepted(answer: NumericAnswer) -> str:
    """A numeric answer as an author would write it: 10, 10 ± 2 or 5 – 7."""
    if answer.bounds:
        return f"{_number_text(answer.low)} – {_number_text(answer.high)}"
    if answer.tolerance:
        return f"{_number_text(answer.value)} ± {_number_text(answer.tolerance)}"
    return _number_text(answer.value)


def _number_text(number: float) -> str:
    return repr(number).removesuffix(".0")


def _html_list(items_html: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items_html) + "</ul>"
