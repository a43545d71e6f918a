"""The three kinds of competency a course develops, as the civil service names them."""
from elearn.i18n import lazy_gettext as _l

COMPETENCY_LABELS = {
    "teknis": _l("Technical"),
    "manajerial": _l("Managerial"),
    "sosial-kultural": _l("Socio-cultural"),
}
