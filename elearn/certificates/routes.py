from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from elearn.access import public, roles_required
from elearn.certificates import lookup, operations
from elearn.certificates.document import certificate_pdf
from elearn.certificates.forms import RevokeForm
from elearn.extensions import db, limiter
from elearn.i18n import gettext as _
from elearn.models import Certificate
from elearn.timeutil import utcnow

bp = Blueprint("certificates", __name__)


@bp.get("/certificates/<path:ident>.pdf")
def pdf(ident: str):
    certificate = lookup.find(ident)
    # Someone else's certificate answers like a missing one: numbers are not to be probed.
    if certificate is None or not lookup.may_download(current_user, certificate):
        abort(404)
    if certificate.revoked_at is not None:
        return render_template("certificates/revoked.html", certificate=certificate), 410
    if lookup.awaits_survey(current_user, certificate):
        flash(_("Please answer the short course survey first; your certificate is ready right after."), "info")
        return redirect(url_for("evaluation.survey_page", slug=certificate.course.slug))
    body = certificate_pdf(certificate)
    filename = certificate.number.replace("/", "-") + ".pdf"
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private"})


@bp.get("/verify/<code>")
@public
@limiter.limit("30 per minute")
def verify(code: str):
    certificate = lookup.by_code(code)
    if certificate is None:
        return render_template("certificates/verify.html", certificate=None), 404
    return render_template("certificates/verify.html", certificate=certificate,
                           masked_nip=lookup.masked_nip(certificate.user.nip))


@bp.get("/hr/certificates")
@roles_required("hr", "admin")
def manage():
    q = (request.args.get("q") or "").strip()[:100]
    return _manage_page(q, RevokeForm(formdata=None))


@bp.post("/hr/certificates/<int:certificate_id>/revoke")
@roles_required("hr", "admin")
def revoke(certificate_id: int):
    certificate = db.session.get(Certificate, certificate_id) or abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            operations.revoke(current_user, certificate, form.reason.data, utcnow())
        except operations.CertificateError as exc:
            form.reason.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The certificate %(number)s has been revoked.", number=certificate.number), "success")
            return redirect(url_for("certificates.manage", q=certificate.number))
    return _manage_page(certificate.number, form, refused=certificate), 400


def _manage_page(q: str, form: RevokeForm, refused: Certificate | None = None):
    """The search and its results; ``refused`` is the certificate whose revocation ``form`` failed."""
    certificates = lookup.search(q) if q else []
    return render_template("certificates/manage.html", q=q, certificates=certificates, form=form, refused=refused)
