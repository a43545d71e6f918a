"""Moodle's GIFT question format: our parser and writer. Pure Python: no Flask app, no database.

The modules follow the grammar: :mod:`elearn.questions.lexing` (escapes, comments, blocks and
spans that know their lines), the question types (the questions as data, one class per type,
each reading and writing its own answer block), :mod:`elearn.questions.parser` and
:mod:`elearn.questions.writer`. This module is what the rest of the application uses of them.

The parser reads what Moodle's importer reads, but where Moodle quietly guesses (a weight it
cannot read becomes 0%, a second ``=`` in a single-choice question also gets full marks) it
reports a :class:`Problem` with the line. It reports every problem in the text at once, so an
author fixes a quiz in one pass, and it never raises anything but :class:`GiftError`.

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
- **Format markers** (``[markdown]``, ``[html]``, ``[plain]``, ``[moodle]``) may open the
  question text, and, as Moodle writes them, each answer, each feedback, the general feedback
  and the left side of a matching pair; a part without one has the question's format. As in
  Moodle, ``[`` and a word that is not a format is text: ``[Pasal 5]`` stays in the text.
- **Numeric questions** take every form of Moodle's documentation: ``#value``,
  ``#value:tolerance``, ``#min..max``, several ``=`` answers with ``%weight%`` and feedback,
  and one ``~#feedback`` at the end for any other number. Ranges keep their exact ``bounds``;
  ``value`` and ``tolerance`` then hold the midpoint and half-width, as Moodle stores them.
  Like multiple-choice and short-answer questions, a numeric one needs an answer worth 100%.
- **Identity**: a question's :attr:`Question.key` is the slug of its title or a hash of what
  it asks and what counts as right. Editing feedback keeps the key; changing the question,
  an answer or a weight gives a new one. Moodle accepts repeated questions and titles, and so
  do we: the course loader numbers repeated keys by their order.
- ``$CATEGORY:`` lines count at the start of a block (before any question text); a category
  stays in force until the next one, so once set it cannot be unset.
"""
from elearn.questions.choices import Choice
from elearn.questions.description import Description
from elearn.questions.essay import Essay
from elearn.questions.lexing import FORMATS, GiftError, Problem
from elearn.questions.matching import Matching
from elearn.questions.multichoice import MultipleChoice
from elearn.questions.numerical import Numerical, NumericAnswer
from elearn.questions.parser import parse
from elearn.questions.question import Question
from elearn.questions.shortanswer import ShortAnswer
from elearn.questions.truefalse import TrueFalse
from elearn.questions.writer import write

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
