"""Changes to accounts and to the unit tree, with the rules that allow them. Each adds to the caller's transaction and writes an audit event;
the view or command that calls it commits once."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.accounts import lockout, passwords, sessions
from elearn.accounts.nip import normalise
from elearn.extensions import db
from elearn.models import Unit, User
from elearn.models.audit import record
from elearn.models.units import subtree_ids
from elearn.notifications.operations import cancel_mail
from elearn.timeutil import utcnow

# A hash that matches no password, so that a log-in for an unknown account costs as much
# as one for a known account and the timing tells nothing.
_DUMMY_HASH_CACHE: dict[str, str] = {}


class AccountError(ValueError):
    pass


class UnitError(ValueError):
    pass


class OneTimePasswordUsed(AccountError):
    """The one-time password was right, but it has expired or has already opened a session."""


def find_by_login_name(login_name: str) -> User | None:
    login_name = (login_name or "").strip()
    if not login_name:
        return None
    if "@" in login_name:
        return db.session.scalar(select(User).where(User.email == login_name.lower()))
    return db.session.scalar(select(User).where(User.nip == normalise(login_name)))


def authenticate(login_name: str, password: str) -> User | None:
    """The active account these credentials open, or None, in about the same time either way.

    A one-time password opens one session, within ``ONE_TIME_PASSWORD_HOURS`` of being set:
    using it marks it used (in the caller's transaction), and a second use raises
    :class:`OneTimePasswordUsed`.
    """
    user = find_by_login_name(login_name)
    if user is None or not user.password_hash:
        passwords.verify(_dummy_hash(), password)
        return None
    if not passwords.verify(user.password_hash, password) or not user.active:
        return None
    if user.must_change_password:
        now = utcnow()
        if user.password_expires_at is not None and user.password_expires_at <= now:
            raise OneTimePasswordUsed(_("This one-time password has expired or has already been used. "
                                        "Ask BKPSDM for a new one."))
        user.password_expires_at = now
    return user


def _give_one_time_password(user: User) -> str:
    password = passwords.one_time_password()
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = True
    user.password_expires_at = utcnow() + timedelta(hours=current_app.config["ONE_TIME_PASSWORD_HOURS"])
    return password


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASH_CACHE:
        _DUMMY_HASH_CACHE[method] = passwords.hash_password(passwords.one_time_password())
    return _DUMMY_HASH_CACHE[method]


def check_unique(nip: str | None, email: str | None, exclude: User | None = None) -> None:
    for column, value, message in (
        (User.nip, nip, _("Another account already uses this NIP.")),
        (User.email, email, _("Another account already uses this e-mail address.")),
    ):
        if not value:
            continue
        query = select(User.id).where(column == value)
        if exclude is not None:
            query = query.where(User.id != exclude.id)
        if db.session.scalar(query) is not None:
            raise AccountError(message)


def may_manage(actor: User, user: User) -> bool:
    """HR manages every account but administrators'; administrators manage all."""
    return actor.has_role("admin") or not user.has_role("admin")


def create_user(actor: User | None, *, name: str, roles=("learner",), password: str | None = None,
                **fields) -> User:
    """A new account. Only administrators (and the command line, with no actor) give roles;
    anyone else creates a learner."""
    if actor is not None and not actor.has_role("admin"):
        roles = ("learner",)
    roles = roles or ("learner",)
    fields["email"] = (fields.get("email") or "").strip().lower() or None
    fields["nip"] = fields.get("nip") or None
    if not fields["nip"] and not fields["email"]:
        raise AccountError(_("An account needs a NIP or an e-mail address."))
    check_unique(fields["nip"], fields["email"])
    user = User(name=name.strip(), **fields)
    user.set_roles(roles)
    if password is not None:
        passwords.check_strength(password, user)
        user.password_hash = passwords.hash_password(password)
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", "user", user.id, login_name=user.login_name, roles=sorted(roles))
    return user


def update_user(actor: User, user: User, **fields) -> User:
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip().lower() or None
    if "nip" in fields:
        fields["nip"] = fields["nip"] or None
    nip, email = fields.get("nip", user.nip), fields.get("email", user.email)
    if not nip and not email:
        raise AccountError(_("An account needs a NIP or an e-mail address."))
    check_unique(nip, email, exclude=user)
    changed = {}
    for key, value in fields.items():
        if getattr(user, key) != value:
            changed[key] = str(value) if value is not None else None
            setattr(user, key, value)
    if changed:
        record(actor, "user.update", "user", user.id, changed=sorted(changed))
    return user


def edit_account(actor: User, user: User, roles, **fields) -> None:
    """The account's details and, when an administrator edits it, its roles."""
    update_user(actor, user, **fields)
    if actor.has_role("admin"):
        set_roles(actor, user, roles or ["learner"])


def set_roles(actor: User, user: User, roles) -> None:
    """Nobody takes away their own administrator role: the city could be left with no one who
    can give it back."""
    if actor is not None and user.id == actor.id and "admin" not in roles:
        raise AccountError(_("You cannot remove your own administrator role."))
    before = user.roles
    user.set_roles(roles)
    if before != user.roles:
        record(actor, "user.roles", "user", user.id, before=sorted(before), after=sorted(user.roles))


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivating keeps the account and its history; it only stops the log-in."""
    if user.id == actor.id and not active:
        raise AccountError(_("You cannot deactivate your own account."))
    if user.active == active:
        return
    user.active = active
    user.deactivated_at = None if active else utcnow()
    if not active:
        sessions.end_all(user)
        cancel_mail(user)
    record(actor, "user.activate" if active else "user.deactivate", "user", user.id)


def reset_password(actor: User, user: User) -> str:
    """Give the account a one-time password that must be replaced at the next log-in.

    It also ends the person's sessions and unlocks the log-in if failed attempts had locked it.
    """
    password = _give_one_time_password(user)
    sessions.end_all(user)
    lockout.unlock(user)
    record(actor, "user.reset_password", "user", user.id)
    return password


def unlock_login(actor: User, user: User) -> None:
    """Let the account log in again at once after too many failed attempts."""
    lockout.unlock(user)
    record(actor, "user.unlock", "user", user.id)


def change_own_password(user: User, current: str, new: str) -> None:
    """Set the new password; every session of the person ends and this browser gets a new one,
    so that a copy of any earlier session cookie opens nothing."""
    if not passwords.verify(user.password_hash, current):
        raise passwords.PasswordError(_("The current password is not correct."), field="current")
    if new == current:
        raise passwords.PasswordError(_("The new password must differ from the current one."))
    passwords.check_strength(new, user)
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    user.password_expires_at = None
    sessions.end_all(user)
    sessions.start(user)


def ensure_first_admin(email: str) -> str | None:
    """On an empty database, create the first admin and return its one-time password.

    Returns None when any account exists, so the password is shown once and never again.
    """
    if db.session.scalar(select(func.count(User.id))):
        return None
    admin = create_user(None, name="Administrator", email=email, roles=("admin",))
    return _give_one_time_password(admin)


def _check_unit(unit: Unit | None, code: str, parent: Unit | None) -> None:
    query = select(Unit.id).where(Unit.code == code)
    if unit is not None:
        query = query.where(Unit.id != unit.id)
    if db.session.scalar(query) is not None:
        raise UnitError(_("Another unit already has the code %(code)s.", code=code))
    if unit is not None and parent is not None and parent.id in subtree_ids(unit.id):
        raise UnitError(_("A unit cannot be placed under itself or one of its sub-units."))


def create_unit(actor: User, code: str, name: str, parent: Unit | None) -> Unit:
    _check_unit(None, code, parent)
    unit = Unit(code=code, name=name, parent=parent)
    db.session.add(unit)
    db.session.flush()
    record(actor, "unit.create", "unit", unit.id, code=code)
    return unit


def update_unit(actor: User, unit: Unit, code: str, name: str, parent: Unit | None) -> None:
    _check_unit(unit, code, parent)
    unit.code, unit.name, unit.parent = code, name, parent
    record(actor, "unit.update", "unit", unit.id, code=code)


def delete_unit(actor: User, unit: Unit) -> None:
    """Only an empty unit goes: people and sub-units would otherwise lose their place."""
    if unit.children:
        raise UnitError(_("This unit has sub-units. Move or delete them first."))
    if db.session.scalar(select(User.id).where(User.unit_id == unit.id).limit(1)) is not None:
        raise UnitError(_("People still belong to this unit. Move them first."))
    record(actor, "unit.delete", "unit", unit.id, code=unit.code)
    db.session.delete(unit)
