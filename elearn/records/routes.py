from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.access import roles_required
from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.inputs import plain_int
from elearn.models import ExternalTraining, User
from elearn.models.audit import record
from elearn.records import operations
from elearn.records.evidence import EVIDENCE_LIMIT
from elearn.records.export import record_csv, record_pdf
from elearn.records.forms import ExternalTrainingForm, RejectionForm
from elearn.records.ledger import year_record, years_with_entries
from elearn.timeutil import local_date, utcnow

bp = Blueprint("records", __name__)


def _years(person: User) -> list[int]:
    """The years to show: the one asked for (or this one), else every year with entries."""
    this_year = local_date(utcnow()).year
    asked = request.args.get("year", "")
    if asked:
        year = plain_int(asked, this_year + 1)
        if year is None or year < 1950:
            abort(400, _("There is no record for that year."))
        return [year]
    return sorted({this_year, *years_with_entries(person.id)}, reverse=True)


def _records(person: User) -> list:
    today = local_date(utcnow())
    target = current_app.config["JP_TARGET"]
    return [year_record(person.id, year, target, today) for year in _years(person)]


def _page(person: User):
    trainings = db.session.scalars(
        select(ExternalTraining).where(ExternalTraining.user_id == person.id)
        .order_by(ExternalTraining.submitted_at.desc())
    ).all()
    return render_template("records/record.html", person=person, records=_records(person), trainings=trainings,
                           own=person.id == current_user.id)


def _file(person: User, kind: str):
    records = _records(person)
    if person.id != current_user.id:
        record(current_user, "record.export", "user", person.id, format=kind)
        db.session.commit()
    name = f"riwayat-{person.nip or person.id}"
    if kind == "csv":
        return Response(record_csv(records), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(record_pdf(person, records, local_date(utcnow())), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})


@bp.get("/me/record")
def mine():
    return _page(current_user)


@bp.get("/me/record.<any(csv, pdf):ext>")
def my_file(ext: str):
    return _file(current_user, ext)


@bp.get("/hr/people/<int:user_id>/record")
@roles_required("hr", "admin")
def person(user_id: int):
    return _page(db.session.get(User, user_id) or abort(404))


@bp.get("/hr/people/<int:user_id>/record.<any(csv, pdf):ext>")
@roles_required("hr", "admin")
def person_file(user_id: int, ext: str):
    return _file(db.session.get(User, user_id) or abort(404), ext)


@bp.route("/me/record/trainings/new", methods=["GET", "POST"])
def report_training():
    form = ExternalTrainingForm()
    if form.validate_on_submit():
        data = form.evidence.data.read(EVIDENCE_LIMIT + 1)
        try:
            operations.submit(current_user, form.training_fields(), form.evidence.data.filename or "", data)
        except operations.RecordError as exc:
            form[exc.field].errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Your training has been sent to HR for verification."), "success")
            return redirect(url_for("records.mine"))
    return render_template("records/training_form.html", form=form), 400 if form.errors else 200


@bp.get("/trainings/<int:training_id>/evidence")
def evidence(training_id: int):
    training = db.session.get(ExternalTraining, training_id)
    # Someone else's evidence answers like a missing one.
    if training is None or not operations.may_see(current_user, training):
        abort(404)
    return Response(training.evidence, mimetype=training.evidence_type, headers={
        "Content-Disposition": "inline", "Cache-Control": "private", "Content-Security-Policy": "sandbox"})


@bp.get("/hr/trainings")
@roles_required("hr", "admin")
def review_queue():
    status = request.args.get("status", "pending")
    if status not in ("pending", "verified", "rejected"):
        status = "pending"
    return _queue(status, RejectionForm(formdata=None))


def _queue(status: str, form: RejectionForm, refused: ExternalTraining | None = None):
    """The trainings in ``status``; ``refused`` is the one whose rejection ``form`` failed."""
    trainings = db.session.scalars(
        select(ExternalTraining).options(joinedload(ExternalTraining.user).joinedload(User.unit))
        .where(ExternalTraining.status == status).order_by(ExternalTraining.submitted_at).limit(200)
    ).all()
    return render_template("records/review.html", trainings=trainings, status=status, form=form, refused=refused)


def _locked_training(training_id: int) -> ExternalTraining:
    # Locked, so two officers pressing at once review it once.
    return db.session.scalar(
        select(ExternalTraining).where(ExternalTraining.id == training_id).with_for_update()
    ) or abort(404)


@bp.post("/hr/trainings/<int:training_id>/verify")
@roles_required("hr", "admin")
def verify(training_id: int):
    training = _locked_training(training_id)
    try:
        operations.verify(current_user, training, utcnow())
    except operations.RecordError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Verified: %(jp)s JP added to %(name)s's record.", jp=f"{training.jp:g}", name=training.user.name),
              "success")
    return redirect(url_for("records.review_queue"))


@bp.post("/hr/trainings/<int:training_id>/reject")
@roles_required("hr", "admin")
def reject(training_id: int):
    training = _locked_training(training_id)
    form = RejectionForm()
    if not form.validate_on_submit():
        return _queue("pending", form, refused=training), 400
    try:
        operations.reject(current_user, training, form.reason.data, utcnow())
    except operations.RecordError as exc:
        db.session.rollback()
        if exc.field == "reason":
            form.reason.errors.append(str(exc))
            return _queue("pending", form, refused=training), 400
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Rejected; %(name)s will see the reason.", name=training.user.name), "success")
    return redirect(url_for("records.review_queue"))
