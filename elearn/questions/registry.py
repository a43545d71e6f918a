"""Every question type by its ``kind``: how a stored question finds the class that shows,
reads and grades it."""
from __future__ import annotations

from elearn.questions.description import Description
from elearn.questions.essay import Essay
from elearn.questions.matching import Matching
from elearn.questions.multichoice import MultipleChoice
from elearn.questions.numerical import Numerical
from elearn.questions.question import Question, Stored
from elearn.questions.shortanswer import ShortAnswer
from elearn.questions.truefalse import TrueFalse

TYPES: dict[str, type[Question]] = {
    cls.kind: cls
    for cls in (Description, Essay, TrueFalse, MultipleChoice, ShortAnswer, Numerical, Matching)
}


def type_of(question: Stored) -> type[Question]:
    """The class of a stored question, which is asked everything about it."""
    return TYPES[question["kind"]]


def from_data(data: Stored) -> Question:
    """A stored question back as the GIFT question it was read from."""
    return type_of(data).from_data(data)
