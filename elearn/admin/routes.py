from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from elearn.access import roles_required
from elearn.accounts import imports, lockout, operations
from elearn.accounts.operations import AccountError, UnitError, create_unit, delete_unit, update_unit
from elearn.admin.forms import ApiTokenForm, UnitForm, UploadForm, UserForm
from elearn.api.tokens import TokenError, create_token, revoke_token
from elearn.evaluation.unit_heads import UnitHeadError, set_head
from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.inputs import plain_int
from elearn.models import ApiToken, AuditEvent, Unit, User
from elearn.models.units import subtree_ids
from elearn.timeutil import utcnow

bp = Blueprint("admin", __name__, url_prefix="/admin")

STAFF = ("hr", "admin")

TEMPLATES = {
    "roster": (
        "nip;nama;email;unit;jabatan;golongan;jenis;tempat_lahir;tanggal_lahir\r\n"
        "198503122010011002;Budi Santoso;budi.santoso@example.go.id;DINKES;Perawat Ahli Pertama;III/b;"
        "PNS;Pematangsiantar;1985-03-12\r\n"
    ),
    "units": "kode;nama;induk\r\nDINKES;Dinas Kesehatan;\r\nPKM-SB;Puskesmas Siantar Barat;DINKES\r\n",
}


def _page_number() -> int:
    # A page far past the end is simply empty; one past any database's integers is page 1.
    return plain_int(request.args.get("page", "1"), 10**6) or 1


def _manageable(user_id: int) -> User:
    """The account, if the current user may change it: HR manages everyone but admins."""
    user = db.session.get(User, user_id) or abort(404)
    if not operations.may_manage(current_user, user):
        abort(403)
    return user


@bp.get("/users")
@roles_required(*STAFF)
def users():
    q = (request.args.get("q") or "").strip()[:100]
    unit_code = (request.args.get("unit") or "").strip()[:32]
    status = request.args.get("status", "active")
    query = select(User).options(joinedload(User.unit)).order_by(User.name, User.id)
    if q:
        query = query.where(or_(*(column.icontains(q, autoescape=True) for column in (User.name, User.nip, User.email))))
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code)) if unit_code else None
    if unit is not None:
        query = query.where(User.unit_id.in_(subtree_ids(unit.id)))
    if status in {"active", "inactive"}:
        query = query.where(User.active.is_(status == "active"))
    # Security fix: a page number past any database's integers was a 500; read it as the other lists do.
    page = db.paginate(query, page=_page_number(), per_page=50, max_per_page=100, error_out=False)
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    return render_template(
        "admin/users.html", page=page, q=q, unit_code=unit_code, unit=unit, status=status, units=units
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_user():
    form = UserForm(roles=["learner"])
    if form.validate_on_submit():
        try:
            user = operations.create_user(current_user, roles=form.roles.data, **form.account_fields())
        except AccountError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("The account has been created."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_user(user_id: int):
    user = _manageable(user_id)
    form = UserForm(obj=user, roles=sorted(user.roles))
    if request.method == "GET":
        form.unit_id.data = str(user.unit_id or "")
    if form.validate_on_submit():
        try:
            operations.edit_account(current_user, user, form.roles.data, **form.account_fields())
        except AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user, locked=lockout.is_locked(user))


@bp.post("/users/<int:user_id>/unlock")
@roles_required(*STAFF)
def unlock_user(user_id: int):
    user = _manageable(user_id)
    operations.unlock_login(current_user, user)
    db.session.commit()
    flash(_("The log-in of %(name)s is unlocked.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/deactivate")
@roles_required(*STAFF)
def deactivate_user(user_id: int):
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/activate")
@roles_required(*STAFF)
def activate_user(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = _manageable(user_id)
    try:
        operations.set_active(current_user, user, active)
    except AccountError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The account is active again.") if active else _("The account has been deactivated."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/reset-password")
@roles_required(*STAFF)
def reset_password(user_id: int):
    user = _manageable(user_id)
    password = operations.reset_password(current_user, user)
    db.session.commit()
    response = Response(render_template("admin/one_time_password.html", user=user, password=password))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/units")
@roles_required(*STAFF)
def units():
    all_units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    roots = [u for u in all_units if u.parent_id is None]
    return render_template("admin/units.html", roots=roots, count=len(all_units))


@bp.route("/units/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_unit():
    form = UnitForm()
    if form.validate_on_submit():
        return _save_unit(form, None)
    return render_template("admin/unit_form.html", form=form, unit=None)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_unit(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    form = UnitForm(obj=unit)
    if request.method == "GET":
        form.parent_id.data = str(unit.parent_id or "")
    if form.validate_on_submit():
        return _save_unit(form, unit)
    return render_template("admin/unit_form.html", form=form, unit=unit)


def _save_unit(form: UnitForm, unit: Unit | None):
    parent = db.session.get(Unit, int(form.parent_id.data)) if form.parent_id.data else None
    code, name = form.code.data.strip(), form.name.data.strip()
    head = db.session.get(User, int(form.head_id.data)) if form.head_id.data else None
    try:
        if unit is None:
            unit = create_unit(current_user, code, name, parent)
        else:
            update_unit(current_user, unit, code, name, parent)
        set_head(current_user, unit, head)
    except (UnitError, UnitHeadError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return render_template("admin/unit_form.html", form=form, unit=unit)
    db.session.commit()
    flash(_("The unit has been saved."), "success")
    return redirect(url_for("admin.units"))


@bp.post("/units/<int:unit_id>/delete")
@roles_required(*STAFF)
def remove_unit(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    try:
        delete_unit(current_user, unit)
    except UnitError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.edit_unit", unit_id=unit.id))
    db.session.commit()
    flash(_("The unit has been deleted."), "success")
    return redirect(url_for("admin.units"))


@bp.route("/import/roster", methods=["GET", "POST"])
@roles_required(*STAFF)
def import_roster():
    return _import("roster", imports.import_roster, _("Import the roster"))


@bp.route("/import/units", methods=["GET", "POST"])
@roles_required(*STAFF)
def import_units():
    return _import("units", imports.import_units, _("Import units"))


def _import(kind: str, run, title: str):
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        report = run(current_user, form.file.data.read())
        if report.errors:
            db.session.rollback()
        else:
            db.session.commit()
            flash(
                _("Import done: %(created)d new, %(updated)d updated.", created=report.created,
                  updated=report.updated),
                "success",
            )
            return redirect(url_for("admin.users" if kind == "roster" else "admin.units"))
    return render_template("admin/import.html", form=form, report=report, kind=kind, title=title)


@bp.get("/import/<any(roster, units):kind>-template.csv")
@roles_required(*STAFF)
def import_template(kind: str):
    return Response(
        "\ufeff" + TEMPLATES[kind],
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={kind}-template.csv"},
    )


@bp.get("/audit")
@roles_required("admin")
def audit_log():
    page = db.paginate(
        select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc()),
        page=_page_number(),  # security fix: see users()
        per_page=100,
        max_per_page=100,
        error_out=False,
    )
    return render_template("admin/audit.html", page=page)


def _tokens_page(form: ApiTokenForm):
    tokens = db.session.scalars(
        select(ApiToken).options(joinedload(ApiToken.created_by)).order_by(ApiToken.id.desc())
    ).all()
    return render_template("api/tokens.html", form=form, tokens=tokens)


@bp.get("/api-tokens")
@roles_required("admin")
def api_tokens():
    return _tokens_page(ApiTokenForm())


@bp.post("/api-tokens")
@roles_required("admin")
def create_api_token():
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form), 400
    try:
        token, secret = create_token(current_user, form.name.data)
    except TokenError as exc:
        form.name.errors.append(str(exc))
        return _tokens_page(form), 400
    db.session.commit()
    # The only time the secret leaves the server: no cache may keep the page.
    response = Response(render_template("api/token_created.html", token=token, secret=secret))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/api-tokens/<int:token_id>/revoke")
@roles_required("admin")
def revoke_api_token(token_id: int):
    token = db.session.get(ApiToken, token_id) or abort(404)
    try:
        revoke_token(current_user, token, utcnow())
    except TokenError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The token %(name)s has been revoked.", name=token.name), "success")
    return redirect(url_for("admin.api_tokens"))
