"""The kinds of notification, each with the words a person chooses it by on the settings page.

Each kind has a template ``notifications/<kind>.txt`` with a ``subject`` and a ``body`` block; a
deployment changes the words by putting its own file of that name in ``ELEARN_TEMPLATES``.
"""
from __future__ import annotations

from elearn.i18n import lazy_gettext as _l

KINDS = {
    "assignment.new": _l("A course is assigned to me"),
    "assignment.reminder": _l("Reminders 7 days and 1 day before an assigned course is due"),
    "assignment.overdue": _l("An assigned course is overdue"),
    "training.verified": _l("An external training I reported is verified"),
    "training.rejected": _l("An external training I reported is rejected"),
    "plan.submitted": _l("A development plan waits for my approval"),
    "plan.decided": _l("My development plan is approved or returned"),
    "followup.due": _l("Time to say what I applied at work after a course"),
    "certificate.issued": _l("A certificate is issued to me"),
    "digest.weekly": _l("Weekly summary of my unit: who is behind the JP target or overdue (unit heads)"),
}
