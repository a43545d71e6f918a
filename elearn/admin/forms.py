from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.accounts import nip as nip_rules
from elearn.accounts.units import unit_choices
from elearn.api.tokens import MAX_NAME_LENGTH, NAME_TOO_LONG
from elearn.evaluation.unit_heads import head_candidates
from elearn.forms import Form
from elearn.i18n import lazy_gettext as _l
from elearn.models import ROLES
from elearn.models.users import EMPLOYMENT_TYPES

ROLE_LABELS = {
    "learner": _l("Learner"),
    "trainer": _l("Trainer"),
    "hr": _l("HR (BKPSDM)"),
    "admin": _l("Administrator"),
}



class UserForm(Form):
    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the name.")), Length(max=200)])
    nip = StringField(_l("NIP"), validators=[Optional(), Length(max=40)])
    email = StringField(
        _l("E-mail"),
        validators=[Optional(), Length(max=254), Email(_l("Enter a valid e-mail address."))],
    )
    employment_type = SelectField(
        _l("Employment type"), choices=[SelectChoice(t) for t in EMPLOYMENT_TYPES]
    )
    unit_id = SelectField(_l("Unit"), choices=[], validate_choice=True)
    position = StringField(_l("Position (jabatan)"), validators=[Optional(), Length(max=200)])
    rank = StringField(_l("Rank (golongan)"), validators=[Optional(), Length(max=16)])
    birth_place = StringField(_l("Place of birth"), validators=[Optional(), Length(max=100)])
    birth_date = DateField(
        _l("Date of birth"),
        validators=[Optional()],
        format=["%Y-%m-%d", "%d/%m/%Y"],
    )
    roles = SelectMultipleField(
        _l("Roles"),
        choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_id.choices = unit_choices(_l("— no unit —"))

    def validate_nip(self, field):
        if field.data:
            try:
                field.data = nip_rules.validate(field.data, self.employment_type.data)
            except nip_rules.NipError as exc:
                raise ValidationError(str(exc)) from None

    def validate_email(self, field):
        if not field.data and not self.nip.data:
            raise ValidationError(_l("Give a NIP or an e-mail address (or both)."))

    def account_fields(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "nip": self.nip.data or None,
            "email": self.email.data or None,
            "employment_type": self.employment_type.data,
            "unit_id": int(self.unit_id.data) if self.unit_id.data else None,
            "position": (self.position.data or "").strip() or None,
            "rank": (self.rank.data or "").strip() or None,
            "birth_place": (self.birth_place.data or "").strip() or None,
            "birth_date": self.birth_date.data,
        }


class UnitForm(Form):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(_l("Enter the unit code.")),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use only letters, digits, dots, dashes and underscores.")),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the unit name.")), Length(max=200)])
    parent_id = SelectField(_l("Parent unit"), choices=[], validate_choice=True)
    head_id = SelectField(_l("Head of unit"), choices=[], validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = unit_choices(_l("— top level —"))
        self.head_id.choices = [SelectChoice("", _l("— no head —"))] + [
            SelectChoice(str(person.id), person.name) for person in head_candidates(kwargs.get("obj"))
        ]
        # No head is the empty choice; WTForms would leave None, which matches no choice.
        if self.head_id.data is None:
            self.head_id.data = ""


class UploadForm(Form):
    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a CSV file.")),
            FileAllowed(["csv", "txt"], _l("Choose a file that ends in .csv.")),
        ],
    )


class ApiTokenForm(Form):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Give the token a name.")),
            Length(max=MAX_NAME_LENGTH, message=NAME_TOO_LONG),
        ],
    )
