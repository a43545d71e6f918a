from collections import Counter
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from elearn.access import roles_required
from elearn.accounts.supervisors import supervisor_of
from elearn.extensions import db
from elearn.hr.assignments.operations import AssignmentError, create_assignment
from elearn.i18n import gettext as _
from elearn.inputs import plain_int
from elearn.models import CompetencyRequirement, Course, DevelopmentPlan, PlanItem, Unit, User
from elearn.needs import operations, queries
from elearn.needs.forms import FORMS_OF_LEARNING, NeedForm, PlanItemForm, RequirementForm, ReviewForm
from elearn.needs.gaps import gaps, lacking, needs_matrix, normal, recommendations
from elearn.needs.plans import EDITABLE, may_review, plan_of, plans_for_review, progress
from elearn.records.ledger import jp_in_year
from elearn.spreadsheet import csv_lines
from elearn.timeutil import local_date, utcnow

bp = Blueprint("needs", __name__)

STAFF = ("hr", "admin")


@bp.route("/hr/needs/requirements", methods=["GET", "POST"])
@roles_required(*STAFF)
def requirements():
    form = RequirementForm()
    if form.validate_on_submit():
        operations.add_requirement(current_user, form.tag.data,
                                   int(form.unit_id.data) if form.unit_id.data else None, form.position.data)
        db.session.commit()
        flash(_("Requirement added."), "success")
        return redirect(url_for("needs.requirements"))
    return render_template("needs/requirements.html", form=form, requirements=queries.requirements()), 400 if form.errors else 200


@bp.post("/hr/needs/requirements/<int:requirement_id>/remove")
@roles_required(*STAFF)
def remove_requirement(requirement_id: int):
    requirement = db.session.get(CompetencyRequirement, requirement_id) or abort(404)
    operations.remove_requirement(current_user, requirement)
    db.session.commit()
    flash(_("Requirement removed."), "success")
    return redirect(url_for("needs.requirements"))


@bp.route("/me/needs", methods=["GET", "POST"])
def my_needs():
    form = NeedForm()
    if form.validate_on_submit():
        operations.propose_need(current_user, form.competency.data, form.reason.data, form.preferred_form.data)
        db.session.commit()
        flash(_("Thank you: HR will see your proposal when planning trainings."), "success")
        return redirect(url_for("needs.my_needs"))
    return render_template("needs/my_needs.html", form=form, needs=queries.needs_of(current_user), forms_of_learning=FORMS_OF_LEARNING), \
        400 if form.errors else 200


@bp.get("/hr/needs/proposals")
@roles_required(*STAFF)
def proposals():
    needs = queries.proposed_needs()
    # Aggregated as HR plans: per unit and competency, however the ASN spelled it.
    counts = Counter((need.user.unit.name if need.user.unit else "—", normal(need.competency)) for need in needs)
    return render_template("needs/proposals.html", needs=needs, counts=sorted(counts.items()),
                           forms_of_learning=FORMS_OF_LEARNING)


@bp.get("/hr/needs/matrix")
@roles_required(*STAFF)
def matrix():
    return render_template("needs/matrix.html", matrix=needs_matrix())


@bp.get("/hr/needs/matrix.csv")
@roles_required(*STAFF)
def matrix_csv():
    data = needs_matrix()
    rows = [[row.unit.code, row.unit.name, row.headcount, *[len(row.lacking.get(tag.key, [])) for tag in data.tags]]
            for row in data.rows]
    rows.append(["", "kursus", "", *["; ".join(c.slug for c in data.courses.get(tag.key, [])) or "(belum ada)"
                                     for tag in data.tags]])
    body = "".join(csv_lines(["kode_unit", "unit", "pegawai", *[tag.label for tag in data.tags]], rows))
    operations.record_matrix_export(current_user)
    db.session.commit()
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=matriks-kebutuhan.csv"})


@bp.post("/hr/needs/matrix/assign")
@roles_required(*STAFF)
def assign_from_matrix():
    """One step from a cell of the matrix: the course, to the people of the unit who lack the tag."""
    unit = db.session.get(Unit, plain_int(request.form.get("unit_id", "")) or 0) or abort(400)
    course = db.session.get(Course, plain_int(request.form.get("course_id", "")) or 0) or abort(400)
    key = normal(request.form.get("tag", ""))
    people = lacking(unit.id, key)
    today = local_date(utcnow())
    try:
        assignment = create_assignment(current_user, course, today + timedelta(days=90), today,
                                       nips=[person.nip for person in people],
                                       note=_("To close the competency gap “%(tag)s”.", tag=key))
    except AssignmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for("needs.matrix"))
    db.session.commit()
    flash(_("%(course)s assigned to %(n)s people, due in 90 days; change the date on the assignment if needed.",
            course=course.title, n=len(assignment.people)), "success")
    return redirect(url_for("assignments.show", assignment_id=assignment.id))


def _year() -> int:
    this_year = local_date(utcnow()).year
    year = request.args.get("year", this_year, type=int)
    if not this_year - 5 <= year <= this_year + 1:
        abort(400, _("There is no plan for that year."))
    return year


def _item_form() -> PlanItemForm:
    form = PlanItemForm()
    form.course_id.choices = [SelectChoice("", _("— none —"))] + [
        SelectChoice(str(course_id), title) for course_id, title in queries.published_courses()]
    return form


def _plan_page(person: User, year: int, plan: DevelopmentPlan | None, form: PlanItemForm, status: int = 200):
    return render_template(
        "needs/plan.html", person=person, year=year, plan=plan, form=form, items=progress(plan) if plan else [],
        gaps=gaps([person])[person.id], recommended=recommendations(person), own=person.id == current_user.id,
        jp=jp_in_year(person.id, year), target=current_app.config["JP_TARGET"],
        review_form=ReviewForm() if plan and may_review(current_user, plan) else None,
        supervisor=supervisor_of(person),
    ), status


@bp.get("/me/plan")
def my_plan():
    year = _year()
    return _plan_page(current_user, year, plan_of(current_user, year), _item_form())


@bp.post("/me/plan/items")
def add_plan_item():
    year = _year()
    form = _item_form()
    plan = plan_of(current_user, year)
    if (plan is None or plan.status in EDITABLE) and not form.validate_on_submit():
        return _plan_page(current_user, year, plan, form, 400)
    try:
        operations.add_plan_item(
            current_user, year, plan, utcnow(), competency=form.competency.data,
            course_id=int(form.course_id.data) if form.course_id.data else None, activity=form.activity.data,
            timing=form.timing.data, indicator=form.indicator.data)
    except operations.NeedsError as exc:
        flash(str(exc), "error")
        return redirect(url_for("needs.my_plan", year=year))
    db.session.commit()
    return redirect(url_for("needs.my_plan", year=year))


@bp.post("/me/plan/items/<int:item_id>/remove")
def remove_plan_item(item_id: int):
    item = db.session.get(PlanItem, item_id)
    if item is None or item.plan.user_id != current_user.id:
        abort(404)
    year = item.plan.year
    try:
        operations.remove_plan_item(item)
    except operations.NeedsError:
        abort(409)
    db.session.commit()
    return redirect(url_for("needs.my_plan", year=year))


@bp.post("/me/plan/submit")
def submit_plan():
    year = _year()
    try:
        if operations.submit_plan(current_user, plan_of(current_user, year), year, utcnow()):
            db.session.commit()
            flash(_("Your plan has been sent for approval."), "success")
    except operations.NeedsError as exc:
        flash(str(exc), "error")
    return redirect(url_for("needs.my_plan", year=year))


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
    if not form.validate_on_submit():
        flash(_("Only a plan sent for approval can be approved or returned."), "error")
        return redirect(url_for("needs.show_plan", plan_id=plan.id))
    try:
        operations.review_plan(current_user, plan, decision == "approve", form.note.data, utcnow())
    except operations.NeedsError as exc:
        flash(str(exc), "error")
        return redirect(url_for("needs.show_plan", plan_id=plan.id))
    db.session.commit()
    flash(_("Plan approved.") if decision == "approve" else _("Plan returned for changes."), "success")
    return redirect(url_for("needs.review_list"))
