from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from elearn.access import roles_required
from elearn.extensions import db
from elearn.hr.assignments import standing
from elearn.hr.assignments.forms import AssignmentForm
from elearn.hr.assignments.operations import AssignmentError, create_assignment
from elearn.i18n import gettext as _
from elearn.models import Assignment, Course, Unit
from elearn.timeutil import local_date, utcnow

bp = Blueprint("assignments", __name__, url_prefix="/hr/assignments")


@bp.get("/")
@roles_required("hr", "admin")
def index():
    assignments = standing.latest()
    return render_template("assignments/index.html", assignments=assignments, today=local_date(utcnow()),
                           counts=standing.counts_by_assignment([a.id for a in assignments]))


@bp.route("/new", methods=["GET", "POST"])
@roles_required("hr", "admin")
def new():
    form = AssignmentForm()
    if form.validate_on_submit():
        course = db.session.get(Course, form.course_id.data)
        unit = db.session.get(Unit, int(form.unit_id.data)) if form.unit_id.data else None
        try:
            assignment = create_assignment(
                current_user, course, form.due_on.data, local_date(utcnow()), unit=unit,
                include_subunits=form.include_subunits.data, position=(form.position.data or "").strip(),
                nips=form.nip_list(), note=(form.note.data or "").strip(),
            )
        except AssignmentError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("%(course)s assigned to %(n)s people.", course=course.title, n=len(assignment.people)), "success")
            return redirect(url_for("assignments.show", assignment_id=assignment.id))
    return render_template("assignments/form.html", form=form), 400 if form.errors else 200


@bp.get("/<int:assignment_id>")
@roles_required("hr", "admin")
def show(assignment_id: int):
    assignment = db.session.get(Assignment, assignment_id) or abort(404)
    today = local_date(utcnow())
    return render_template("assignments/show.html", assignment=assignment, people=standing.statuses(assignment, today),
                           today=today)
