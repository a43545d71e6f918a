"""Administrators hand out and revoke the tokens other systems read the API with."""
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from elearn.access import roles_required
from elearn.admin import bp
from elearn.api.tokens import (
    MAX_NAME_LENGTH,
    NAME_TOO_LONG,
    TokenError,
    create_token,
    revoke_token,
)
from elearn.extensions import db
from elearn.forms import Form
from elearn.i18n import gettext as _
from elearn.i18n import lazy_gettext as _l
from elearn.models import ApiToken
from elearn.timeutil import utcnow


class ApiTokenForm(Form):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Give the token a name.")),
            Length(max=MAX_NAME_LENGTH, message=NAME_TOO_LONG),
        ],
    )


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
