from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from elearn.access import public
from elearn.accounts import lockout, operations, sessions
from elearn.accounts.nip import normalise
from elearn.accounts.passwords import PasswordError
from elearn.auth.forms import ChangePasswordForm, LanguageForm, LoginForm
from elearn.extensions import db, limiter
from elearn.i18n import gettext as _

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host, scheme or a protocol-relative URL."""
    fallback = url_for("home.index")
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def _account_key() -> str:
    """The counter a log-in attempt adds to: its account's, whether the NIP or the e-mail was
    typed; a name no account has counts for itself."""
    typed = (request.form.get("username") or "").strip().lower()
    user = operations.find_by_login_name(typed)
    if user is not None:
        return lockout.key_of(user)
    return "login-name:" + (typed if "@" in typed else normalise(typed))


def _login_failed(response) -> bool:
    return request.method == "POST" and response.status_code == 200


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ADDRESS"], methods=["POST"],
               deduct_when=_login_failed)
# Every attempt on an account is counted before its password is checked (counting failures
# afterwards let attempts sent at the same moment slip past); a successful log-in clears the count.
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ACCOUNT"], methods=["POST"], key_func=_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = operations.authenticate(form.username.data, form.password.data)
        except operations.OneTimePasswordUsed as exc:
            flash(str(exc), "error")
            return render_template("auth/login.html", form=form)
        if user is None:
            flash(_("The NIP/e-mail or password is not correct."), "error")
        else:
            lockout.unlock(user)
            sessions.start(user)
            db.session.commit()
            session.clear()
            login_user(user)
            if user.locale:
                session["lang"] = user.locale
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    sessions.end(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            operations.change_own_password(current_user, form.current.data, form.new.data)
        except PasswordError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            db.session.commit()
            # The operation gave this browser a new session: the cookie must name it.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
def profile():
    form = LanguageForm(locale=current_user.locale or current_app.config["BABEL_DEFAULT_LOCALE"])
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        session["lang"] = form.locale.data
        db.session.commit()
        flash(_("Your language setting has been saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)
