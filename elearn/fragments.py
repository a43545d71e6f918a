"""Parts of pages that many requests show alike, rendered once per worker and kept.

In a template::

    {% call cached("menu", current_locale(), current_user.roles) %}...{% endcall %}

The key names everything the part depends on: the language, the roles that decide what it
shows, the version of a course. A part never holds what belongs to one request or one person
(a CSRF token, a learner's progress): that stays outside the call. Keys with a course's version
in them go stale when the course changes; the store is emptied when it reaches ``CAPACITY``,
which bounds its memory without bookkeeping on each read.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import Flask, current_app
from markupsafe import Markup

CAPACITY = 5000


def cached(*key: Hashable, caller: Callable[[], Markup]) -> Markup:
    store = current_app.extensions["elearn.fragments"]
    part = store.get(key)
    if part is None:
        if len(store) >= CAPACITY:
            store.clear()
        part = store[key] = Markup(caller())
    return part


def init_app(app: Flask) -> None:
    app.extensions["elearn.fragments"] = {}
    app.jinja_env.globals["cached"] = cached
