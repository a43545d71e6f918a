"""Item analysis of a quiz: how each question did. Plain functions over plain data.

The input is one :class:`Response` per learner: their **first fully graded attempt** on the
course version being analysed. Later attempts are left out on purpose: a learner retakes the
quiz after seeing which answers were wrong, and only those who failed retake it, so counting
every attempt would make questions look easier than they are and weigh weak learners twice.

For each question:

- ``attempts``: responses that hold a grade for it;
- ``share_correct``: the share of them with full marks;
- ``mean_fraction``: the mean fraction earned (0–1);
- ``discrimination``: the upper–lower index D = p_upper − p_lower, where the groups are the
  27% of responses with the highest and the lowest total score, and p is the group's mean
  fraction on the question. Ties at a group's edge are broken by the order the responses
  come in. None when there are too few responses to form two groups.

Flags: too easy (share correct > 0.9), too hard (< 0.3), and "good learners get it wrong"
(D < 0.1 over at least ``MIN_ATTEMPTS`` responses; for a question already too easy or too hard
only D < 0, since such a question cannot separate learners much anyway).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

GROUP_SHARE = 0.27
TOO_EASY = 0.9
TOO_HARD = 0.3
LOW_DISCRIMINATION = 0.1
# Below this many responses D is mostly noise: a question is not flagged for it.
MIN_ATTEMPTS = 10


@dataclass(frozen=True)
class Response:
    """One learner's graded attempt: its total score and each scored question's fraction."""

    total: float
    fractions: Mapping[str, float]


@dataclass(frozen=True)
class QuestionStats:
    key: str
    attempts: int
    share_correct: float | None
    mean_fraction: float | None
    discrimination: float | None

    @property
    def too_easy(self) -> bool:
        return self.share_correct is not None and self.share_correct > TOO_EASY

    @property
    def too_hard(self) -> bool:
        return self.share_correct is not None and self.share_correct < TOO_HARD

    @property
    def misleads_good_learners(self) -> bool:
        """Learners who do well on the whole quiz do no better here, or worse.

        A question (nearly) everyone gets right or wrong cannot tell learners apart; its
        "too easy" or "too hard" flag says so, unless the better learners do worse on it.
        """
        if self.attempts < MIN_ATTEMPTS or self.discrimination is None:
            return False
        if self.too_easy or self.too_hard:
            return self.discrimination < 0
        return self.discrimination < LOW_DISCRIMINATION


def group_size(count: int) -> int:
    """27% of the responses, rounded half up; 0 when that is less than one."""
    return math.floor(GROUP_SHARE * count + 0.5)


def discrimination(scored: Sequence[tuple[float, float]]) -> float | None:
    """D for (total score, fraction on the question) pairs."""
    size = group_size(len(scored))
    if size == 0:
        return None
    ranked = sorted(scored, key=lambda pair: pair[0], reverse=True)
    upper = [fraction for _total, fraction in ranked[:size]]
    lower = [fraction for _total, fraction in ranked[-size:]]
    return sum(upper) / size - sum(lower) / size


def question_stats(keys: Sequence[str], responses: Sequence[Response]) -> list[QuestionStats]:
    """The statistics of each question in ``keys``, in that order."""
    return [_stats(key, [(r.total, r.fractions[key]) for r in responses if key in r.fractions]) for key in keys]


def _stats(key: str, scored: list[tuple[float, float]]) -> QuestionStats:
    if not scored:
        return QuestionStats(key, 0, None, None, None)
    fractions = [fraction for _total, fraction in scored]
    return QuestionStats(
        key=key,
        attempts=len(scored),
        share_correct=sum(fraction >= 1.0 for fraction in fractions) / len(fractions),
        mean_fraction=sum(fractions) / len(fractions),
        discrimination=discrimination(scored),
    )
