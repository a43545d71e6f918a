"""The signed-in person's account and roles, kept by each worker between requests.

Every request still asks the database whether its log-in session lives (accounts.sessions);
that one query also returns the account's ``version``, which every change to the account or its
roles renews (``bump_versions``, before each flush). A worker uses its copy only while the
copy's version is the database's, so a change made through any worker is seen by every worker
on its next request, and a copy never outlives the change. The store is emptied when it reaches
``CAPACITY``, which bounds its memory without bookkeeping on each read.
"""
from __future__ import annotations

import secrets
from functools import cache
from itertools import chain

from flask import Flask, current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, make_transient_to_detached, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from elearn.extensions import db
from elearn.models import User, UserRole

CAPACITY = 10_000


@cache
def _columns() -> tuple[str, ...]:
    return tuple(attribute.key for attribute in inspect(User).column_attrs)


def account(user_id: int, version: int) -> User | None:
    """The account at this version, in the request's session: the worker's copy when it is
    current, else read from the database (and kept)."""
    store = current_app.extensions["elearn.accounts"]
    kept = store.get(user_id)
    if kept is not None and kept[0] == version:
        return _attach(kept[1], kept[2])
    user = db.session.get(User, user_id, options=[selectinload(User.role_rows)])
    if user is not None:
        if len(store) >= CAPACITY:
            store.clear()
        store[user_id] = (user.version, {key: getattr(user, key) for key in _columns()}, tuple(user.roles))
    return user


def _attach(columns: dict, roles: tuple[str, ...]) -> User:
    """A persistent User built from the copy without a query, as if just loaded."""
    user = User(**columns)
    make_transient_to_detached(user)
    rows = []
    for role in roles:
        row = UserRole(user_id=columns["id"], role=role)
        make_transient_to_detached(row)
        set_committed_value(row, "user", user)
        rows.append(row)
    set_committed_value(user, "role_rows", rows)
    return db.session.merge(user, load=False)


def new_version() -> int:
    """A fresh random number rather than the next one: two changes flushed at the same moment
    from the same old version still leave a number that no worker has kept, and the UPDATEs of
    a roster import stay one batch (no SQL expression per row)."""
    return secrets.randbelow(2**31 - 1) + 1


def bump_versions(session: Session, flush_context, instances) -> None:
    """Give a new version to every account that this flush changes, roles included."""
    changed = {row.user_id for row in chain(session.new, session.deleted, session.dirty)
               if isinstance(row, UserRole) and row.user_id is not None}
    changed |= {user.id for user in session.dirty
                if isinstance(user, User) and user.id is not None and session.is_modified(user)}
    with session.no_autoflush:
        for user_id in changed:
            user = session.get(User, user_id)
            if user is not None and user not in session.deleted:
                user.version = new_version()


def init_app(app: Flask) -> None:
    app.extensions["elearn.accounts"] = {}
    if not event.contains(db.session, "before_flush", bump_versions):
        event.listen(db.session, "before_flush", bump_versions)
