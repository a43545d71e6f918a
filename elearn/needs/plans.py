"""Individual development plans (IDP): drawn up by the ASN for a year, approved by HR or their
supervisor, and followed from the development record."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from elearn.accounts.supervisors import heads_a_unit, supervisor_of
from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.models import (
    Course,
    DevelopmentPlan,
    Enrolment,
    ExternalTraining,
    PlanItem,
    User,
    UserRole,
)
from elearn.models.audit import record
from elearn.needs import bp
from elearn.needs.forms import PlanItemForm, ReviewForm
from elearn.needs.gaps import gaps, normal, recommendations
from elearn.notifications.operations import notify
from elearn.records.ledger import jp_in_year
from elearn.timeutil import local_date, utcnow

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


def _year() -> int:
    this_year = local_date(utcnow()).year
    year = request.args.get("year", this_year, type=int)
    if not this_year - 5 <= year <= this_year + 1:
        abort(400, _("There is no plan for that year."))
    return year


def _plan_of(user: User, year: int) -> DevelopmentPlan | None:
    return db.session.scalar(select(DevelopmentPlan).options(selectinload(DevelopmentPlan.items))
                             .where(DevelopmentPlan.user_id == user.id, DevelopmentPlan.year == year))


def _item_form() -> PlanItemForm:
    form = PlanItemForm()
    courses = db.session.execute(select(Course.id, Course.title).where(Course.status == "published")
                                 .order_by(Course.title)).all()
    form.course_id.choices = [SelectChoice("", _("— none —"))] + [SelectChoice(str(c.id), c.title) for c in courses]
    return form


@bp.get("/me/plan")
def my_plan():
    year = _year()
    plan = _plan_of(current_user, year)
    return _plan_page(current_user, year, plan, _item_form())


def _plan_page(person: User, year: int, plan: DevelopmentPlan | None, form: PlanItemForm, status: int = 200):
    return render_template(
        "needs/plan.html", person=person, year=year, plan=plan, form=form, items=progress(plan) if plan else [],
        gaps=gaps([person])[person.id], recommended=recommendations(person), own=person.id == current_user.id,
        jp=jp_in_year(person.id, year), target=current_app.config["JP_TARGET"],
        review_form=ReviewForm() if plan and may_review(current_user, plan) else None,
        supervisor=supervisor_of(person),
    ), status


@bp.post("/me/plan/items")
def add_plan_item():
    year = _year()
    form = _item_form()
    plan = _plan_of(current_user, year)
    if plan is not None and plan.status not in EDITABLE:
        flash(_("The plan has been sent for approval and can no longer be changed."), "error")
        return redirect(url_for("needs.my_plan", year=year))
    if not form.validate_on_submit():
        return _plan_page(current_user, year, plan, form, 400)
    if plan is None:
        plan = DevelopmentPlan(user_id=current_user.id, year=year, status="draft")
        db.session.add(plan)
    plan.items.append(PlanItem(
        competency=" ".join(form.competency.data.split()), course_id=int(form.course_id.data) if form.course_id.data
        else None, activity=(form.activity.data or "").strip() or None, timing=form.timing.data.strip(),
        indicator=form.indicator.data.strip()))
    plan.updated_at = utcnow()
    db.session.commit()
    return redirect(url_for("needs.my_plan", year=year))


@bp.post("/me/plan/items/<int:item_id>/remove")
def remove_plan_item(item_id: int):
    item = db.session.get(PlanItem, item_id)
    if item is None or item.plan.user_id != current_user.id:
        abort(404)
    if item.plan.status not in EDITABLE:
        abort(409)
    year = item.plan.year
    db.session.delete(item)
    db.session.commit()
    return redirect(url_for("needs.my_plan", year=year))


@bp.post("/me/plan/submit")
def submit_plan():
    year = _year()
    plan = _plan_of(current_user, year)
    if plan is None or not plan.items:
        flash(_("Add at least one planned development first."), "error")
    elif plan.status in EDITABLE:
        now = utcnow()
        plan.status, plan.updated_at = "submitted", now
        record(current_user, "plan.submit", "development_plan", plan.id, year=year)
        for approver in approvers_of(plan):
            notify(approver, "plan.submitted", f"/plans/{plan.id}", now, person=current_user.name, year=year)
        db.session.commit()
        flash(_("Your plan has been sent for approval."), "success")
    return redirect(url_for("needs.my_plan", year=year))


def plans_for_review(user: User) -> list[DevelopmentPlan]:
    """Plans waiting for this person's approval: all of them for HR, their staff's for a head."""
    if not user.has_role("hr", "admin") and not heads_a_unit(user):
        return []  # supervises nobody: no need to read the city's submitted plans
    plans = db.session.scalars(select(DevelopmentPlan).options(joinedload(DevelopmentPlan.user))
                               .where(DevelopmentPlan.status == "submitted").order_by(DevelopmentPlan.updated_at))
    return [plan for plan in plans if may_review(user, plan)]


@bp.get("/plans")
def review_list():
    return render_template("needs/plans.html", plans=plans_for_review(current_user))


@bp.get("/plans/<int:plan_id>")
def show_plan(plan_id: int):
    plan = db.session.get(DevelopmentPlan, plan_id)
    if plan is None or not (plan.user_id == current_user.id or may_review(current_user, plan)):
        abort(404)
    return _plan_page(plan.user, plan.year, plan, _item_form())


@bp.post("/plans/<int:plan_id>/<any(approve, return):decision>")
def review_plan(plan_id: int, decision: str):
    plan = db.session.get(DevelopmentPlan, plan_id)
    if plan is None or not may_review(current_user, plan):
        abort(404)
    form = ReviewForm()
    if plan.status != "submitted" or not form.validate_on_submit():
        flash(_("Only a plan sent for approval can be approved or returned."), "error")
        return redirect(url_for("needs.show_plan", plan_id=plan.id))
    plan.status = "approved" if decision == "approve" else "returned"
    plan.note = (form.note.data or "").strip() or None
    plan.approved_by_id, plan.approved_at = (current_user.id, utcnow()) if decision == "approve" else (None, None)
    record(current_user, f"plan.{plan.status}", "development_plan", plan.id, user_id=plan.user_id)
    notify(plan.user, "plan.decided", f"/me/plan?year={plan.year}", utcnow(), year=plan.year,
           approved=decision == "approve", reviewer=current_user.name, note=plan.note or "")
    db.session.commit()
    flash(_("Plan approved.") if decision == "approve" else _("Plan returned for changes."), "success")
    return redirect(url_for("needs.review_list"))
