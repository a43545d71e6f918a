"""The reaction survey (Kirkpatrick level 1): right after completing a course the learner rates
its relevance, its material and how applicable it is, once per enrolment."""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import exists, select

from elearn.extensions import db
from elearn.models import Enrolment, SurveyResponse

RATINGS = ("relevance", "material", "applicability")
LOWEST, HIGHEST = 1, 5
MAX_COMMENT = 2000


class SurveyError(ValueError):
    """The answers cannot be recorded; the message says why."""


def response_of(enrolment_id: int) -> SurveyResponse | None:
    return db.session.scalar(select(SurveyResponse).where(SurveyResponse.enrolment_id == enrolment_id))


def is_rating(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and LOWEST <= value <= HIGHEST


def submit_survey(enrolment: Enrolment, ratings: Mapping[str, object], comment: str | None) -> SurveyResponse:
    """Record the answers of a completed enrolment. The first answers are final: a second
    submission raises SurveyError and changes nothing."""
    if enrolment.completed_at is None:
        raise SurveyError(_("The survey opens once you have completed the course."))
    if not all(is_rating(ratings.get(name)) for name in RATINGS):
        raise SurveyError(_("Rate every statement from %(low)s to %(high)s.", low=LOWEST, high=HIGHEST))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise SurveyError(_("The comment may have at most %(n)d characters.", n=MAX_COMMENT))
    # The enrolment row is locked first, so two submissions at once record one response.
    db.session.scalar(select(Enrolment.id).where(Enrolment.id == enrolment.id).with_for_update())
    if response_of(enrolment.id) is not None:
        raise SurveyError(already_answered())
    response = SurveyResponse(enrolment_id=enrolment.id, comment=comment or None,
                              **{name: ratings[name] for name in RATINGS})
    db.session.add(response)
    db.session.flush()
    return response


def already_answered() -> str:
    return _("You have already answered this survey. Your first answers are kept.")


def unanswered(user_id: int) -> set[int]:
    """The learner's completed enrolments whose survey is still open to answer."""
    answered = exists().where(SurveyResponse.enrolment_id == Enrolment.id)
    return set(db.session.scalars(
        select(Enrolment.id).where(Enrolment.user_id == user_id, Enrolment.completed_at.is_not(None), ~answered)
    ))
