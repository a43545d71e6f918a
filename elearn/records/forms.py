from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from elearn.courses.competencies import COMPETENCY_LABELS
from elearn.forms import Form
from elearn.i18n import lazy_gettext as _l
from elearn.records.operations import REASON_EMPTY, REASON_LIMIT, REASON_TOO_LONG
from elearn.records.training_types import TRAINING_TYPES
from elearn.timeutil import local_date, utcnow

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _finite(form, field):
    # Decimal reads "NaN", "sNaN" and "Infinity" too; no range check can compare them.
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("JP must be between 0.5 and 1000."))


class ExternalTrainingForm(Form):
    title = StringField(_l("Training name"), validators=[DataRequired(_l("Enter the name of the training.")),
                                                        Length(max=300)])
    training_type = SelectField(
        _l("Type"), coerce=int,
        choices=[SelectChoice(code, label) for code, label in TRAINING_TYPES.items()],
    )
    organiser = StringField(_l("Organiser"), validators=[DataRequired(_l("Enter the organiser.")), Length(max=200)])
    competency = SelectField(
        _l("Competency type"), choices=[SelectChoice(code, label) for code, label in COMPETENCY_LABELS.items()],
    )
    started_on = DateField(_l("Start date"), format=DATE_FORMATS,
                           validators=[DataRequired(_l("Enter a date such as 2026-08-17."))])
    ended_on = DateField(_l("End date"), format=DATE_FORMATS,
                         validators=[DataRequired(_l("Enter a date such as 2026-08-17."))])
    jp = DecimalField(_l("JP"), places=None, validators=[
        # InputRequired, not DataRequired: "banyak" should be told it is not a number.
        InputRequired(_l("Enter the JP written on the certificate.")),
        _finite,
        NumberRange(min=0.5, max=1000, message=_l("JP must be between 0.5 and 1000.")),
    ])
    tags = StringField(_l("Competencies covered (tags, separated by commas)"), validators=[Optional(), Length(max=500)])
    certificate_number = StringField(_l("Certificate number"), validators=[
        DataRequired(_l("Enter the certificate number.")), Length(max=100)])
    evidence = FileField(_l("Certificate or other evidence (PDF, JPEG or PNG, at most 2 MB)"),
                         validators=[FileRequired(_l("Attach the certificate."))])

    def validate_started_on(self, field):
        if field.data and field.data.year < 1950:
            raise ValidationError(_l("Enter the real start date."))

    def validate_ended_on(self, field):
        if field.data and field.data > local_date(utcnow()):
            raise ValidationError(_l("Report a training once it has ended."))

    def training_fields(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "training_type": self.training_type.data,
            "organiser": self.organiser.data.strip(),
            "competency": self.competency.data,
            "started_on": self.started_on.data,
            "ended_on": self.ended_on.data,
            "jp": float(self.jp.data),
            "certificate_number": self.certificate_number.data.strip(),
            "tags": sorted({" ".join(tag.split()) for tag in (self.tags.data or "").split(",") if tag.strip()}),
        }


class RejectionForm(Form):
    reason = StringField(_l("Reason for rejecting"), validators=[
        DataRequired(REASON_EMPTY), Length(max=REASON_LIMIT, message=REASON_TOO_LONG)])
