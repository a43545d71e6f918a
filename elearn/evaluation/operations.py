"""What learners and supervisors write in an evaluation: the survey answers, the follow-up and
its confirmation. Each adds to the caller's transaction and raises the feature's error, with a
message for the person, when the rules say no."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.accounts.supervisors import supervisor_of
from elearn.evaluation.follow_up import MAX_ANSWER, MAX_NOTE, already_given, follow_up_of, is_due
from elearn.evaluation.survey import HIGHEST, LOWEST, MAX_COMMENT, RATINGS, already_answered, is_rating, response_of
from elearn.extensions import db
from elearn.models import Enrolment, FollowUp, SurveyResponse, User
from elearn.models.audit import record


class SurveyError(ValueError):
    """The answers cannot be recorded; the message says why."""


class FollowUpError(ValueError):
    """The follow-up cannot be recorded or confirmed; the message says why."""


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


def submit_follow_up(enrolment: Enrolment, applied: str, changed: str, today: date) -> FollowUp:
    """Record what the learner applied and what changed, addressed to their supervisor as of
    today; without one there is no confirmation step. A second submission raises
    FollowUpError and changes nothing."""
    if not is_due(enrolment, today):
        raise FollowUpError(_("This course does not ask you about it yet."))
    applied, changed = (applied or "").strip(), (changed or "").strip()
    if not applied or not changed:
        raise FollowUpError(_("Answer both questions."))
    if max(len(applied), len(changed)) > MAX_ANSWER:
        raise FollowUpError(_("Each answer may have at most %(n)d characters.", n=MAX_ANSWER))
    # The enrolment row is locked first, so two submissions at once record one follow-up.
    db.session.scalar(select(Enrolment.id).where(Enrolment.id == enrolment.id).with_for_update())
    if follow_up_of(enrolment.id) is not None:
        raise FollowUpError(already_given())
    supervisor = supervisor_of(enrolment.user)
    follow_up = FollowUp(enrolment_id=enrolment.id, applied=applied, changed=changed,
                         supervisor_id=supervisor.id if supervisor else None)
    db.session.add(follow_up)
    db.session.flush()
    return follow_up


def confirm(actor: User, follow_up: FollowUp, note: str | None, now: datetime) -> None:
    """The supervisor confirms the report, with an optional note; only they may."""
    if follow_up.supervisor_id != actor.id:
        raise FollowUpError(_("Only the supervisor it was sent to can confirm this follow-up."))
    if follow_up.confirmed_at is not None:
        raise FollowUpError(_("This follow-up has already been confirmed."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise FollowUpError(_("The note may have at most %(n)d characters.", n=MAX_NOTE))
    follow_up.confirmed_at = now
    follow_up.supervisor_note = note or None
    record(actor, "follow_up.confirm", "follow_up", follow_up.id, enrolment_id=follow_up.enrolment_id)
