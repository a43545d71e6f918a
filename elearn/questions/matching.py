"""Matching questions: ``=left -> right`` pairs, and ``= -> right`` for an answer that matches
nothing."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape
from typing import Any, ClassVar

from flask_babel import gettext as _

from elearn.questions.answers import AnswerError, Feedback, Matches, Option, arranged, filled, permutation
from elearn.questions.lexing import Answer, Problems, escape as gift_escape
from elearn.questions.question import Question, Stored
from elearn.questions.text import part_html
from elearn.questions.writer import part


@dataclass(kw_only=True)
class Matching(Question):
    """Pairs to match; ``distractors`` are extra answers that match nothing.

    ``left_formats`` holds the format of each pair's left side, or is empty when all of them
    use the question's format. Each left item earns an equal share when matched to its
    right-hand text.
    """

    kind: ClassVar[str] = "matching"
    template: ClassVar[str | None] = "questions/matches.html"

    pairs: list[tuple[str, str]]
    distractors: list[str] = field(default_factory=list)
    left_formats: list[str] = field(default_factory=list)

    def identity(self) -> list[Any]:
        return [self.pairs, self.distractors]

    def left_format(self, index: int) -> str:
        return self.left_formats[index] if self.left_formats else ""

    @classmethod
    def from_gift(cls, answers: list[Answer], at: int, common: dict[str, Any], problems: Problems) -> Matching:
        """The ``=`` answers of a block whose answers hold ``->``; ``at`` is the line of the ``{``."""
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
        return cls(pairs=pairs, distractors=distractors, left_formats=left_formats, **common)

    def gift_answers(self) -> list[str]:
        pairs = [
            f"={part(left, self.left_format(i), self)} -> {gift_escape(right)}"
            for i, (left, right) in enumerate(self.pairs)
        ]
        return pairs + [f"= -> {gift_escape(distractor)}" for distractor in self.distractors]

    @classmethod
    def _restored(cls, values: dict[str, Any]) -> dict[str, Any]:
        if "pairs" in values:
            values["pairs"] = [tuple(pair) for pair in values["pairs"]]
        return values

    @classmethod
    def shuffle_order(cls, question: Stored, rng: random.Random) -> list[int]:
        return permutation(len(_match_choices(question)), rng)

    @classmethod
    def options(cls, question: Stored, order: list[int] | None = None) -> Matches:
        """The left items as written; ``order`` arranges the right-hand choices."""
        lefts = [
            Option(str(i), part_html(question, left, _left_format(question, i)))
            for i, (left, _right) in enumerate(question["pairs"])
        ]
        return Matches(lefts, arranged(_match_choices(question), order))

    @classmethod
    def read(cls, question: Stored, raw: list[str]) -> dict[str, str] | None:
        lefts = {str(i) for i in range(len(question["pairs"]))}
        choices = set(_match_choices(question))
        matched: dict[str, str] = {}
        for value in filled(raw):
            left, colon, right = value.partition(":")
            if not colon or left not in lefts or (right and right not in choices):
                raise AnswerError(_("That option is not part of this question."))
            if left in matched:
                raise AnswerError(_("Each item can be matched only once."))
            if right:
                matched[left] = right
        return dict(sorted(matched.items(), key=lambda item: int(item[0]))) or None

    @classmethod
    def _mark(cls, question: Stored, answer: dict[str, str]) -> tuple[float, list[Feedback]]:
        pairs = question["pairs"]
        right = sum(answer.get(str(i)) == expected for i, (_left, expected) in enumerate(pairs))
        return right / len(pairs), []

    @classmethod
    def correct_answer_html(cls, question: Stored) -> str:
        rows = "".join(
            f"<dt>{part_html(question, left, _left_format(question, i))}</dt><dd>{escape(right)}</dd>"
            for i, (left, right) in enumerate(question["pairs"])
        )
        return f"<dl>{rows}</dl>"


def _match_choices(question: Stored) -> list[str]:
    """Every right-hand text and distractor once, sorted, so their order gives nothing away."""
    texts = {right for _left, right in question["pairs"]} | set(question["distractors"])
    return sorted(texts, key=lambda text: (text.casefold(), text))


def _left_format(question: Stored, index: int) -> str | None:
    formats = question.get("left_formats")
    return formats[index] if formats else None
