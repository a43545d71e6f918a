"""The reaction survey (Kirkpatrick level 1): right after completing a course the learner rates
its relevance, its material and how applicable it is, once per enrolment."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, select

from elearn.extensions import db
from elearn.models import Enrolment, SurveyResponse

RATINGS = ("relevance", "material", "applicability")
LOWEST, HIGHEST = 1, 5
MAX_COMMENT = 2000


def response_of(enrolment_id: int) -> SurveyResponse | None:
    return db.session.scalar(select(SurveyResponse).where(SurveyResponse.enrolment_id == enrolment_id))


def is_rating(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and LOWEST <= value <= HIGHEST


def already_answered() -> str:
    return _("You have already answered this survey. Your first answers are kept.")


def unanswered(user_id: int) -> set[int]:
    """The learner's completed enrolments whose survey is still open to answer."""
    answered = exists().where(SurveyResponse.enrolment_id == Enrolment.id)
    return set(db.session.scalars(
        select(Enrolment.id).where(Enrolment.user_id == user_id, Enrolment.completed_at.is_not(None), ~answered)
    ))
