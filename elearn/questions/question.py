"""What every question type has: the class each GIFT type is, and the rules they share.

One class per type (:mod:`.description`, :mod:`.essay`, :mod:`.truefalse`, :mod:`.multichoice`,
:mod:`.shortanswer`, :mod:`.numerical`, :mod:`.matching`) is the one place that type is
described. An instance is one question as GIFT wrote it, as plain data: what the parser makes
(each type reads its own answer block, in ``from_gift``) and the writer writes (each type
writes its own, in :meth:`Question.gift_answers`). The class methods work on the question as
stored, the JSON-ready dict :meth:`Question.to_data` makes, which attempts are shown and
graded from, with no request, no session and no database: what the quiz page shows
(:meth:`Question.options`, in the input template the class names), how to read what a form
posted (:meth:`Question.read`), how to grade it (:meth:`Question.grade`) and how to describe
the right answer (:meth:`Question.correct_answer_html`). Callers look the class up by the
stored ``kind`` (:func:`elearn.questions.registry.type_of`) and ask it, never branching on
the kind themselves.

Every text a learner sees has a format (``moodle``, ``markdown``, ``html`` or ``plain``).
The question's own ``text_format`` is the default of all its parts; a part whose format is
``""`` uses it, as Moodle's importer does for answers and feedback written without a marker.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias

from elearn.questions.answers import Answer, Feedback, Grade
from elearn.questions.text import part_html, render_text

# A question as stored: the dict :meth:`Question.to_data` makes.
Stored: TypeAlias = dict[str, Any]

# The parser accepts weights that add up to 100% within 0.1 percentage points (3 × 33.33333%),
# so choosing every right answer of such a question must still earn full marks.
FULL_MARKS_TOLERANCE = 0.001


@dataclass(kw_only=True)
class Question:
    """What every GIFT question has.

    In a missing-word question ``text`` is what comes before the answers (it may be empty) and
    ``text_after`` what follows them. ``line`` is where the question was read; it is not part
    of equality, so a question moved within its file is still the same question.

    The class attributes say what the type is to the rest of the application: ``template``
    renders its answer inputs (None: there is nothing to answer), ``answerable`` whether a
    form may post an answer, ``scored`` whether it counts towards a quiz's score and
    ``graded_by_trainer`` whether a person grades it rather than the rules below. The common
    rules of grading (no answer scores 0, fractions stay in [0, 1], general feedback comes
    last) live here once; each type says how an answer earns marks in :meth:`_mark`.
    """

    kind: ClassVar[str]
    template: ClassVar[str | None]
    answerable: ClassVar[bool] = True
    scored: ClassVar[bool] = True
    graded_by_trainer: ClassVar[bool] = False

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

    def gift_answers(self) -> list[str] | None:
        """The lines of its GIFT answer block, each escaped; None when it has no block."""
        raise NotImplementedError

    # --- As stored ------------------------------------------------------------------------

    def to_data(self) -> Stored:
        """Everything needed to show and grade the question later, keyed by its stable identity,
        with its text rendered by the one sanitising renderer in the format GIFT gave each part."""
        data = dataclasses.asdict(self)
        data.pop("line")
        data["kind"] = self.kind
        data["key"] = self.key
        data["html"] = render_text(self.text, self.text_format)
        data["html_after"] = render_text(self.text_after, self.text_format)
        data["general_feedback_html"] = part_html(data, self.general_feedback, self.general_feedback_format)
        return data

    @classmethod
    def from_data(cls, data: Stored) -> Question:
        """The question back from what :meth:`to_data` stored (for writing it as GIFT again)."""
        names = {f.name for f in dataclasses.fields(cls) if f.init and f.name != "line"}
        values = {name: data[name] for name in names if name in data}
        return cls(**cls._restored(values))

    @classmethod
    def _restored(cls, values: dict[str, Any]) -> dict[str, Any]:
        """The stored values as this type's fields: JSON keeps lists and dicts where the
        fields hold tuples and answer objects."""
        return values

    # --- Shown, read and graded -----------------------------------------------------------

    @classmethod
    def shuffle_order(cls, question: Stored, rng: random.Random) -> list[int] | None:
        """An order for the options, drawn when an attempt starts; None: nothing to shuffle."""
        return None

    @classmethod
    def options(cls, question: Stored, order: list[int] | None = None) -> Any:
        """What the learner answers with, revealing nothing about what is right."""
        raise NotImplementedError

    @classmethod
    def read(cls, question: Stored, raw: list[str]) -> Answer:
        """The posted form values as a normalised answer; :class:`AnswerError` if tampered with."""
        raise NotImplementedError

    @classmethod
    def grade(cls, question: Stored, answer: Answer) -> Grade:
        """The marks for a normalised answer (as :meth:`read` returns it, or as stored)."""
        if answer is None:
            return Grade(0.0, general_html(question), correct=False)
        fraction, feedback = cls._mark(question, answer)
        fraction = _settled(fraction)
        rendered = [part_html(question, text, text_format) for text, text_format in feedback if text]
        return Grade(fraction, rendered + general_html(question), correct=fraction == 1.0)

    @classmethod
    def _mark(cls, question: Stored, answer: Any) -> tuple[float, list[Feedback]]:
        """The raw fraction earned and the GIFT feedback for what was answered."""
        raise NotImplementedError

    @classmethod
    def correct_answer_html(cls, question: Stored) -> str:
        """The right answer, for the result page when the course lets learners see it."""
        raise NotImplementedError


def general_html(question: Stored) -> list[str]:
    """The general feedback, shown after whatever was answered."""
    return [question["general_feedback_html"]] if question["general_feedback_html"] else []


def _settled(fraction: float) -> float:
    """Within [0, 1], and full marks when within the tolerance the parser allows weights."""
    if fraction >= 1 - FULL_MARKS_TOLERANCE:
        return 1.0
    return max(fraction, 0.0)


def slug_of(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
