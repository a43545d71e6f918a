from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from elearn.evaluation import follow_up, survey
from elearn.forms import Form
from elearn.i18n import lazy_gettext as _l

SCALE = {
    1: _l("Strongly disagree"),
    2: _l("Disagree"),
    3: _l("Neither agree nor disagree"),
    4: _l("Agree"),
    5: _l("Strongly agree"),
}
CHOOSE = _l("Choose a rating from 1 to 5.")


def _rating(statement) -> RadioField:
    return RadioField(statement, coerce=int, validators=[InputRequired(CHOOSE)],
                      choices=[SelectChoice(value, f"{value} — {label}") for value, label in SCALE.items()])


class SurveyForm(Form):
    relevance = _rating(_l("The course is relevant to my work."))
    material = _rating(_l("The material was clear and well organised."))
    applicability = _rating(_l("I can apply what I learned in my work."))
    comment = TextAreaField(_l("Comment (optional)"),
                            validators=[Optional(), Length(max=survey.MAX_COMMENT)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # No rating, a number outside the scale and a value that is no number each make WTForms
        # say something different, sometimes twice; the learner needs one plain sentence.
        for name in survey.RATINGS:
            field = self[name]
            if field.errors:
                field.errors = [str(CHOOSE)]
        return valid

    def rating_fields(self) -> list[RadioField]:
        return [self[name] for name in survey.RATINGS]

    def ratings(self) -> dict[str, int]:
        return {name: self[name].data for name in survey.RATINGS}


class FollowUpForm(Form):
    applied = TextAreaField(_l("What from the course have you applied in your work?"), validators=[
        DataRequired(_l("Describe what you applied.")), Length(max=follow_up.MAX_ANSWER)])
    changed = TextAreaField(_l("What has changed as a result?"), validators=[
        DataRequired(_l("Describe what changed.")), Length(max=follow_up.MAX_ANSWER)])


class ConfirmForm(Form):
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=follow_up.MAX_NOTE)])
