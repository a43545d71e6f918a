from wtforms import DecimalField, TextAreaField
from wtforms.validators import InputRequired

from elearn.forms import Form
from elearn.i18n import lazy_gettext as _l


class EssayGradeForm(Form):
    """What a trainer gives an essay answer; the range and length rules are the operation's
    (:func:`elearn.coursestats.operations.grade_essay`)."""

    score = DecimalField(_l("Score (0 to 100 percent of the question's marks)"), places=None,
                         validators=[InputRequired(_l("Enter a score from 0 to 100."))])
    comment = TextAreaField(_l("Comment for the learner (optional)"))
