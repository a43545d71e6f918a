from wtforms import StringField
from wtforms.validators import DataRequired, Length

from elearn.certificates.operations import MAX_REASON_LENGTH, REASON_TOO_LONG
from elearn.forms import Form
from elearn.i18n import lazy_gettext as _l


class RevokeForm(Form):
    reason = StringField(_l("Reason"), validators=[
        DataRequired(_l("Give the reason for revoking the certificate.")),
        Length(max=MAX_REASON_LENGTH, message=REASON_TOO_LONG),
    ])
