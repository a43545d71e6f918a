from collections import Counter
from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.access import roles_required
from elearn.assignments.operations import AssignmentError, create_assignment
from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.inputs import plain_int
from elearn.models import CompetencyRequirement, Course, TrainingNeed, Unit, User
from elearn.models.audit import record
from elearn.needs import bp
from elearn.needs.forms import FORMS_OF_LEARNING, NeedForm, RequirementForm
from elearn.needs.gaps import lacking, needs_matrix, normal
from elearn.spreadsheet import csv_lines
from elearn.timeutil import local_date, utcnow

STAFF = ("hr", "admin")


@bp.route("/hr/needs/requirements", methods=["GET", "POST"])
@roles_required(*STAFF)
def requirements():
    form = RequirementForm()
    if form.validate_on_submit():
        requirement = CompetencyRequirement(
            tag=" ".join(form.tag.data.split()), unit_id=int(form.unit_id.data) if form.unit_id.data else None,
            position=(form.position.data or "").strip() or None, created_by_id=current_user.id)
        db.session.add(requirement)
        db.session.flush()
        record(current_user, "requirement.create", "competency_requirement", requirement.id, tag=requirement.tag)
        db.session.commit()
        flash(_("Requirement added."), "success")
        return redirect(url_for("needs.requirements"))
    rows = db.session.scalars(select(CompetencyRequirement).options(joinedload(CompetencyRequirement.unit))
                              .order_by(CompetencyRequirement.tag)).all()
    return render_template("needs/requirements.html", form=form, requirements=rows), 400 if form.errors else 200


@bp.post("/hr/needs/requirements/<int:requirement_id>/remove")
@roles_required(*STAFF)
def remove_requirement(requirement_id: int):
    requirement = db.session.get(CompetencyRequirement, requirement_id) or abort(404)
    record(current_user, "requirement.remove", "competency_requirement", requirement.id, tag=requirement.tag)
    db.session.delete(requirement)
    db.session.commit()
    flash(_("Requirement removed."), "success")
    return redirect(url_for("needs.requirements"))


@bp.route("/me/needs", methods=["GET", "POST"])
def my_needs():
    form = NeedForm()
    if form.validate_on_submit():
        db.session.add(TrainingNeed(user_id=current_user.id, competency=" ".join(form.competency.data.split()),
                                    reason=form.reason.data.strip(), preferred_form=form.preferred_form.data))
        db.session.commit()
        flash(_("Thank you: HR will see your proposal when planning trainings."), "success")
        return redirect(url_for("needs.my_needs"))
    mine = db.session.scalars(select(TrainingNeed).where(TrainingNeed.user_id == current_user.id)
                              .order_by(TrainingNeed.created_at.desc())).all()
    return render_template("needs/my_needs.html", form=form, needs=mine, forms_of_learning=FORMS_OF_LEARNING), \
        400 if form.errors else 200


@bp.get("/hr/needs/proposals")
@roles_required(*STAFF)
def proposals():
    needs = db.session.scalars(select(TrainingNeed).options(joinedload(TrainingNeed.user).joinedload(User.unit))
                               .order_by(TrainingNeed.created_at.desc())).all()
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
    record(current_user, "report.export", "report", None, report="needs-matrix", format="csv")
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
