import re

from sqlalchemy import select
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from elearn.accounts.units import unit_choices
from elearn.extensions import db
from elearn.forms import Form
from elearn.i18n import lazy_gettext as _l
from elearn.models import Course


class AssignmentForm(Form):
    course_id = SelectField(_l("Course"), coerce=int, validate_choice=True)
    due_on = DateField(_l("Due date"), format=["%Y-%m-%d", "%d/%m/%Y"],
                       validators=[DataRequired(_l("Enter a date such as 2026-08-17."))])
    unit_id = SelectField(_l("Unit"), validate_choice=True)
    include_subunits = BooleanField(_l("Include its sub-units"), default=True)
    position = StringField(_l("Position contains"), validators=[Optional(), Length(max=200)])
    nips = TextAreaField(_l("And these people (NIP, one per line)"), validators=[Optional(), Length(max=20000)])
    note = TextAreaField(_l("Note for the learners"), validators=[Optional(), Length(max=1000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        courses = db.session.execute(
            select(Course.id, Course.title).where(Course.current_version_id.is_not(None), Course.status == "published")
            .order_by(Course.title)
        ).all()
        self.course_id.choices = [SelectChoice(c.id, c.title) for c in courses]
        self.unit_id.choices = unit_choices(_l("— no unit —"))

    def nip_list(self) -> list[str]:
        return [nip for nip in re.split(r"[\s,;]+", self.nips.data or "") if nip]
