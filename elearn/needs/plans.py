"""Individual development plans (IDP): drawn up by the ASN for a year, approved by HR or their
supervisor, and followed from the development record. Who reviews a plan and how far it has
come; the changes are in :mod:`elearn.needs.operations`."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from elearn.accounts.supervisors import heads_a_unit, supervisor_of
from elearn.extensions import db
from elearn.models import (
    DevelopmentPlan,
    Enrolment,
    ExternalTraining,
    PlanItem,
    User,
    UserRole,
)
from elearn.needs.gaps import normal

EDITABLE = ("draft", "returned")


@dataclass(frozen=True)
class ItemProgress:
    item: PlanItem
    done: bool


def may_review(user: User, plan: DevelopmentPlan) -> bool:
    if plan.user_id == user.id:
        return False
    if user.has_role("hr", "admin"):
        return True
    supervisor = supervisor_of(plan.user)
    return supervisor is not None and supervisor.id == user.id


def approvers_of(plan: DevelopmentPlan) -> list[User]:
    """Who is asked to approve: the person's supervisor, or HR when the person has none."""
    supervisor = supervisor_of(plan.user)
    if supervisor is not None and supervisor.active:
        return [supervisor]
    return db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "hr", User.active.is_(True), User.id != plan.user_id).order_by(User.id)
    ).all()


def progress(plan: DevelopmentPlan) -> list[ItemProgress]:
    """An item is done once its course is completed, or, for another activity, once a verified
    external training of the plan's year carries its competency."""
    completed = set(db.session.scalars(select(Enrolment.course_id).where(
        Enrolment.user_id == plan.user_id, Enrolment.completed_at.is_not(None))))
    trained: set[str] = set()
    for training in db.session.scalars(select(ExternalTraining).where(
            ExternalTraining.user_id == plan.user_id, ExternalTraining.status == "verified")):
        if training.ended_on.year == plan.year:
            trained.update(normal(tag) for tag in training.tags or [])
    return [ItemProgress(item, item.course_id in completed if item.course_id else normal(item.competency) in trained)
            for item in plan.items]


def plan_of(user: User, year: int) -> DevelopmentPlan | None:
    return db.session.scalar(select(DevelopmentPlan).options(selectinload(DevelopmentPlan.items))
                             .where(DevelopmentPlan.user_id == user.id, DevelopmentPlan.year == year))


def plans_for_review(user: User) -> list[DevelopmentPlan]:
    """Plans waiting for this person's approval: all of them for HR, their staff's for a head."""
    if not user.has_role("hr", "admin") and not heads_a_unit(user):
        return []  # supervises nobody: no need to read the city's submitted plans
    plans = db.session.scalars(select(DevelopmentPlan).options(joinedload(DevelopmentPlan.user))
                               .where(DevelopmentPlan.status == "submitted").order_by(DevelopmentPlan.updated_at))
    return [plan for plan in plans if may_review(user, plan)]
