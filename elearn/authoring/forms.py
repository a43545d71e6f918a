from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Regexp

from elearn.authoring.sources import SETTINGS_FIELDS
from elearn.courses.competencies import COMPETENCY_LABELS
from elearn.courses.loader import COURSE_ID
from elearn.forms import Form
from elearn.i18n import lazy_gettext as _l

REQUIRED = DataRequired(_l("Fill in this field."))


def competency_choices() -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in COMPETENCY_LABELS.items()]


class NewCourseForm(Form):
    id = StringField(_l("Course id"), validators=[REQUIRED, Regexp(COURSE_ID, message=_l(
        "Use lowercase letters, digits and dashes only, for example pelayanan-publik."))])
    title = StringField(_l("Title"), validators=[REQUIRED, Length(max=200)])
    summary = StringField(_l("Summary"), validators=[REQUIRED, Length(max=300)])
    jp = DecimalField(_l("JP (learning hours)"), places=None, validators=[
        DataRequired(_l("Enter a number of JP, for example 2.")),
        NumberRange(min=0.1, max=1000, message=_l("Enter a number of JP, for example 2."))])
    competency = SelectField(_l("Competency type"), validate_choice=True)
    organiser = StringField(_l("Organiser"), validators=[REQUIRED, Length(max=200)])
    lesson_title = StringField(_l("Title of the first lesson"), validators=[REQUIRED, Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.competency.choices = competency_choices()

    def course_fields(self) -> dict:
        """The course.md fields this form sets; JP as YAML writes it plainly (2, not 2.0)."""
        jp = self.jp.data
        return {"id": self.id.data, "title": self.title.data.strip(), "summary": self.summary.data.strip(),
                "jp": int(jp) if jp == int(jp) else float(jp), "competency": self.competency.data,
                "organiser": self.organiser.data.strip()}


class SettingsForm(Form):
    """course.md's front matter, field by field. Texts, not typed fields: what the trainer
    writes is saved as written, and the loader says what is wrong with it."""

    title = StringField(_l("Title"))
    summary = StringField(_l("Summary"))
    jp = StringField(_l("JP (learning hours)"))
    competency = SelectField(_l("Competency type"), validate_choice=False)
    tags = StringField(_l("Competency tags, separated by commas"))
    passing_score = StringField(_l("Passing score (0–100)"))
    authors = TextAreaField(_l("Authors, one per line"), render_kw={"rows": 4})
    organiser = StringField(_l("Organiser"))
    description = TextAreaField(_l("Description (Markdown)"), render_kw={"rows": 12})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.competency.choices = competency_choices()

    def course_values(self) -> dict[str, str]:
        """The front-matter fields as typed, by their course.md names."""
        return {name: self[name].data or "" for name in SETTINGS_FIELDS}


class FileForm(Form):
    text = TextAreaField(_l("Text"), render_kw={"rows": 28})


class LessonForm(Form):
    title = StringField(_l("Title of the new lesson"), validators=[REQUIRED, Length(max=200)])


class ImageForm(Form):
    image = FileField(_l("Image (PNG, JPEG, GIF or WebP, at most 2 MB)"), validators=[
        FileRequired(_l("Choose an image file."))])


class UploadForm(Form):
    archive = FileField(_l("Course folder as a .zip file"), validators=[FileRequired(_l("Choose a .zip file."))])
    publish = BooleanField(_l("Publish it right away (otherwise it becomes a draft to review first)"))


class PublishForm(Form):
    hidden = BooleanField(_l("Keep it out of the catalogue for now: only its trainers and admins can open it, "
                             "to try it as learners"))
