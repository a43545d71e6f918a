"""A notification in words: its kind's template filled with its parameters, in a language."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale

from elearn.models import Notification, User

# Where each person chooses what reaches them by e-mail; every mail links to it.
SETTINGS_PATH = "/me/notifications/settings"


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def language_of(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def words(notification: Notification, locale: str | None = None) -> Message:
    """The subject and body in ``locale`` (the request's language when None)."""
    template = current_app.jinja_env.get_template(f"notifications/{notification.kind}.txt")
    base = current_app.config["BASE_URL"]
    values = {
        **_dated(notification.params),
        "link": base + notification.link,
        "settings_link": base + SETTINGS_PATH,
    }
    if locale is None:
        return _render(template, values)
    with force_locale(locale):
        return _render(template, values)


def _dated(params):
    """Parameters as stored (JSON) with their days back as dates: every ``…_on`` is one."""
    if isinstance(params, list):
        return [_dated(item) for item in params]
    if not isinstance(params, dict):
        return params
    return {name: date.fromisoformat(value) if name.endswith("_on") and isinstance(value, str) else _dated(value)
            for name, value in params.items()}


def _render(template, values: dict) -> Message:
    context = template.new_context(values)
    subject = "".join(template.blocks["subject"](context)).strip()
    body = "".join(template.blocks["body"](context)).strip()
    return Message(" ".join(subject.split()), body)
