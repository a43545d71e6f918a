"""What people write in the training-needs analysis: HR's competency requirements, the needs
an ASN proposes, and the development plan's items, submission and review. Each adds to the
caller's transaction and raises :class:`NeedsError`, with a message for the person, when the
rules say no."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from elearn.extensions import db
from elearn.models import CompetencyRequirement, DevelopmentPlan, PlanItem, TrainingNeed, User
from elearn.models.audit import record
from elearn.needs.plans import EDITABLE, approvers_of
from elearn.notifications.operations import notify


class NeedsError(ValueError):
    """A change the rules do not allow; the message says why."""


def _words(text: str) -> str:
    return " ".join(text.split())


def add_requirement(actor: User, tag: str, unit_id: int | None, position: str | None) -> CompetencyRequirement:
    requirement = CompetencyRequirement(tag=_words(tag), unit_id=unit_id, position=(position or "").strip() or None,
                                        created_by_id=actor.id)
    db.session.add(requirement)
    db.session.flush()
    record(actor, "requirement.create", "competency_requirement", requirement.id, tag=requirement.tag)
    return requirement


def remove_requirement(actor: User, requirement: CompetencyRequirement) -> None:
    record(actor, "requirement.remove", "competency_requirement", requirement.id, tag=requirement.tag)
    db.session.delete(requirement)


def record_matrix_export(actor: User) -> None:
    """The needs matrix names people's gaps: who downloaded it is kept, as for every report."""
    record(actor, "report.export", "report", None, report="needs-matrix", format="csv")


def propose_need(user: User, competency: str, reason: str, preferred_form: str) -> TrainingNeed:
    need = TrainingNeed(user_id=user.id, competency=_words(competency), reason=reason.strip(),
                        preferred_form=preferred_form)
    db.session.add(need)
    return need


def add_plan_item(user: User, year: int, plan: DevelopmentPlan | None, now: datetime, *, competency: str,
                  course_id: int | None, activity: str | None, timing: str, indicator: str) -> DevelopmentPlan:
    """One planned development in the person's plan of ``year``, which is begun if need be."""
    if plan is not None and plan.status not in EDITABLE:
        raise NeedsError(_("The plan has been sent for approval and can no longer be changed."))
    if plan is None:
        plan = DevelopmentPlan(user_id=user.id, year=year, status="draft")
        db.session.add(plan)
    plan.items.append(PlanItem(competency=_words(competency), course_id=course_id,
                               activity=(activity or "").strip() or None, timing=timing.strip(),
                               indicator=indicator.strip()))
    plan.updated_at = now
    return plan


def remove_plan_item(item: PlanItem) -> None:
    if item.plan.status not in EDITABLE:
        raise NeedsError(_("The plan has been sent for approval and can no longer be changed."))
    db.session.delete(item)


def submit_plan(user: User, plan: DevelopmentPlan | None, year: int, now: datetime) -> bool:
    """Send the plan to its approvers; False when it was already sent."""
    if plan is None or not plan.items:
        raise NeedsError(_("Add at least one planned development first."))
    if plan.status not in EDITABLE:
        return False
    plan.status, plan.updated_at = "submitted", now
    record(user, "plan.submit", "development_plan", plan.id, year=year)
    for approver in approvers_of(plan):
        notify(approver, "plan.submitted", f"/plans/{plan.id}", now, person=user.name, year=year)
    return True


def review_plan(actor: User, plan: DevelopmentPlan, approve: bool, note: str | None, now: datetime) -> None:
    """Approve the submitted plan or return it for changes, and tell its owner."""
    if plan.status != "submitted":
        raise NeedsError(_("Only a plan sent for approval can be approved or returned."))
    plan.status = "approved" if approve else "returned"
    plan.note = (note or "").strip() or None
    plan.approved_by_id, plan.approved_at = (actor.id, now) if approve else (None, None)
    record(actor, f"plan.{plan.status}", "development_plan", plan.id, user_id=plan.user_id)
    notify(plan.user, "plan.decided", f"/me/plan?year={plan.year}", now, year=plan.year,
           approved=approve, reviewer=actor.name, note=plan.note or "")
