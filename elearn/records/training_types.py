"""Kinds of training an ASN can report, keyed by SIASN's training-type code (jenisDiklatId),
so that the national export carries the code as it is."""
from elearn.i18n import lazy_gettext as _l
from elearn.models.records import SIASN_ELEARNING

# Only 16 (e-learning) is fixed by our design notes; check the others against BKN's current
# reference list before the first upload to SIASN.
TRAINING_TYPES = {
    1: _l("Structural / leadership training"),
    2: _l("Functional training"),
    3: _l("Technical training"),
    4: _l("Workshop"),
    5: _l("Managerial training"),
    6: _l("Socio-cultural training"),
    7: _l("Socialisation"),
    8: _l("Technical guidance (bimtek)"),
    9: _l("Seminar"),
    10: _l("Internship (magang)"),
    11: _l("Course"),
    12: _l("Upgrading (penataran)"),
    SIASN_ELEARNING: _l("E-learning"),
}


def training_type_label(code: int) -> str:
    return str(TRAINING_TYPES.get(code, code))
