from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from elearn.accounts.units import unit_choices
from elearn.forms import Form
from elearn.i18n import lazy_gettext as _l

FORMS_OF_LEARNING = {
    "e-learning": _l("E-learning"),
    "klasikal": _l("Classroom training"),
    "coaching": _l("Coaching or mentoring"),
    "magang": _l("Internship (magang)"),
    "seminar": _l("Seminar or workshop"),
    "belajar-mandiri": _l("Self-study"),
}


class RequirementForm(Form):
    tag = StringField(_l("Competency (tag)"), validators=[DataRequired(_l("Enter the competency.")), Length(max=64)])
    unit_id = SelectField(_l("Unit (and its sub-units)"), validate_choice=True)
    position = StringField(_l("Position contains"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_id.choices = unit_choices(_l("— every unit —"))


class NeedForm(Form):
    competency = StringField(_l("Which competency do you need?"),
                             validators=[DataRequired(_l("Enter the competency.")), Length(max=200)])
    reason = TextAreaField(_l("Why, for your work?"),
                           validators=[DataRequired(_l("Say why you need it.")), Length(max=2000)])
    preferred_form = SelectField(_l("How would you like to learn it?"),
                                 choices=[SelectChoice(code, label) for code, label in FORMS_OF_LEARNING.items()])


class PlanItemForm(Form):
    competency = StringField(_l("Competency to develop"),
                             validators=[DataRequired(_l("Enter the competency.")), Length(max=64)])
    course_id = SelectField(_l("Course here"), validate_choice=True)
    activity = StringField(_l("Or another activity"), validators=[Optional(), Length(max=300)])
    timing = StringField(_l("When"), validators=[DataRequired(_l("Say when, for example “Triwulan II”.")),
                                                  Length(max=100)])
    indicator = TextAreaField(_l("How success will be judged"),
                              validators=[DataRequired(_l("Say how success will be judged.")), Length(max=1000)])


class ReviewForm(Form):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000)])


