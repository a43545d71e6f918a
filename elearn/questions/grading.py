"""Grading a whole attempt: each question by its type, the score over those that count."""
from __future__ import annotations

from elearn.questions.answers import Answer, Grade
from elearn.questions.question import Stored
from elearn.questions.registry import type_of


def score(questions: list[Stored], grades: dict[str, Grade]) -> float | None:
    """The percentage (0–100, 2 decimals) over scored questions, each worth the same.

    None while an essay waits for a trainer. A quiz must have a scored question: the course
    loader refuses one made of descriptions only, so meeting one here is a caller's bug.
    """
    scored = [grades[q["key"]] for q in questions if type_of(q).scored]
    if not scored:
        raise ValueError("A quiz without scored questions cannot be scored.")
    if any(grade.pending for grade in scored):
        return None
    return round(100 * sum(grade.fraction or 0.0 for grade in scored) / len(scored), 2)


def grade_attempt(
    questions: list[Stored], answers: dict[str, Answer]
) -> tuple[dict[str, Grade], float | None]:
    """Every question's grade (unanswered ones score 0) and the attempt's score."""
    grades = {q["key"]: type_of(q).grade(q, answers.get(q["key"])) for q in questions}
    return grades, score(questions, grades)
