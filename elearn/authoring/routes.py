"""The web editor's pages. Each view checks who may act on which course, calls one operation
of ``operations`` and commits; every rule lives in the operations."""
from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import or_, select

from elearn.access import AUTHOR_ROLES, may_edit, roles_required
from elearn.authoring import lookup, operations
from elearn.authoring.archive import ArchiveError, read_course_zip, write_course_zip
from elearn.authoring.checking import check, preview
from elearn.authoring.forms import (
    FileForm,
    ImageForm,
    LessonForm,
    NewCourseForm,
    PublishForm,
    SettingsForm,
    UploadForm,
)
from elearn.authoring.sources import (
    course_md,
    lesson_order,
    meta_from_settings,
    new_quiz_md,
    read_course_md,
    settings_values,
)
from elearn.courses.files import FILE_POLICY, mimetype_of
from elearn.courses.loader import MAX_ASSET_BYTES, CourseError
from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.models import Course, CourseDraft, CourseTrainer

bp = Blueprint("authoring", __name__, url_prefix="/authoring")


@dataclass
class Subject:
    """What an authoring page is about: the published course, its draft, or both."""

    slug: str
    course: Course | None
    draft: CourseDraft | None

    @property
    def files(self) -> dict[str, bytes]:
        if self.draft is not None:
            return lookup.files_of(self.draft)
        return {file.path: file.content for file in self.course.files}


def _subject(slug: str) -> Subject:
    """404 when there is no such course or draft, 403 when the user may not edit it."""
    subject = Subject(slug, lookup.course_for(slug), lookup.draft_for(slug))
    if subject.course is None and subject.draft is None:
        abort(404)
    if not may_edit(current_user, subject.course, subject.draft):
        abort(403)
    return subject


def _draft(slug: str) -> CourseDraft:
    """The open draft; without one, back to the course page, which offers to start one."""
    draft = _subject(slug).draft
    if draft is None:
        flash(_("Start editing the course on the web first."), "info")
        abort(redirect(url_for("authoring.course", slug=slug)))
    return draft


def _minutes_per_jp() -> int:
    return current_app.config["MINUTES_PER_JP"]


def _to_course(slug: str, anchor: str = ""):
    return redirect(url_for("authoring.course", slug=slug) + anchor)


@bp.get("/")
@roles_required(*AUTHOR_ROLES)
def index():
    courses = select(Course).order_by(Course.title)
    open_drafts = select(CourseDraft).order_by(CourseDraft.slug)
    if not current_user.has_role("admin"):
        mine = select(CourseTrainer.course_id).where(CourseTrainer.user_id == current_user.id)
        courses = courses.where(Course.id.in_(mine))
        open_drafts = open_drafts.where(
            or_(CourseDraft.course_id.in_(mine), CourseDraft.created_by_id == current_user.id))
    return render_template("authoring/index.html", courses=db.session.scalars(courses).all(),
                           drafts={d.slug: d for d in db.session.scalars(open_drafts)})


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*AUTHOR_ROLES)
def new_course():
    form = NewCourseForm()
    if form.validate_on_submit():
        try:
            operations.create_draft(current_user, form.course_fields(), form.lesson_title.data.strip(), _minutes_per_jp())
        except operations.DraftError as exc:
            form.id.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The course is a draft: write its lessons, add a quiz, then publish it."), "success")
            return _to_course(form.id.data)
    return render_template("authoring/new.html", form=form), 400 if form.errors else 200


@bp.route("/upload", methods=["GET", "POST"])
@roles_required(*AUTHOR_ROLES)
def upload():
    form = UploadForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            archive = read_course_zip(form.archive.data.stream)
            draft = operations.draft_from_archive(current_user, archive, _minutes_per_jp())
            slug = draft.slug
            if form.publish.data:
                operations.publish(draft, current_user, _minutes_per_jp())
        except ArchiveError as exc:
            errors = exc.messages
        except CourseError as exc:
            errors = [str(problem) for problem in exc.problems]
        except operations.DraftError as exc:
            errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("The course is published.") if form.publish.data else
                  _("The course is a draft: review it, then publish it."), "success")
            return _to_course(slug)
        db.session.rollback()
    status = 400 if form.errors or errors else 200
    return render_template("authoring/upload.html", form=form, errors=errors), status


@bp.get("/courses/<slug>")
@roles_required(*AUTHOR_ROLES)
def course(slug: str):
    subject = _subject(slug)
    files = subject.files
    result = check(files, slug, _minutes_per_jp()) if subject.draft else None
    return render_template(
        "authoring/course.html", subject=subject, result=result, files=files,
        lessons=lesson_order(list(files)), images=sorted(path for path in files if "/" in path),
        lesson_form=LessonForm(), image_form=ImageForm(), publish_form=PublishForm(),
    )


@bp.post("/courses/<slug>/draft")
@roles_required(*AUTHOR_ROLES)
def start_draft(slug: str):
    subject = _subject(slug)
    if subject.draft is None:
        operations.start_draft(current_user, subject.course)
        db.session.commit()
    return _to_course(slug)


@bp.post("/courses/<slug>/discard")
@roles_required(*AUTHOR_ROLES)
def discard_draft(slug: str):
    operations.discard(_draft(slug), current_user)
    db.session.commit()
    flash(_("The draft is discarded."), "success")
    return redirect(url_for("authoring.course", slug=slug) if lookup.course_for(slug) else url_for("authoring.index"))


@bp.route("/courses/<slug>/settings", methods=["GET", "POST"])
@roles_required(*AUTHOR_ROLES)
def settings(slug: str):
    draft = _draft(slug)
    files = lookup.files_of(draft)
    read = read_course_md(files.get("course.md", b"").decode("utf-8", errors="replace"))
    if read is None:
        flash(_("The front matter of course.md cannot be read as fields: correct it as text first."), "error")
        return redirect(url_for("authoring.edit_file", slug=slug, path="course.md"))
    meta, description = read
    form = SettingsForm(data={**settings_values(meta), "description": description})
    if form.validate_on_submit():
        text = course_md(meta_from_settings(form.course_values(), meta), form.description.data or "")
        operations.save_file(draft, "course.md", text)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("authoring.settings", slug=slug))
    problems = check(files, slug, _minutes_per_jp()).of(slug, "course.md")
    return render_template("authoring/settings.html", draft=draft, form=form, problems=problems,
                           course_id=meta.get("id"))


@bp.route("/courses/<slug>/edit/<path:path>", methods=["GET", "POST"])
@roles_required(*AUTHOR_ROLES)
def edit_file(slug: str, path: str):
    draft = _draft(slug)
    if not operations.EDITABLE.match(path):
        flash(_("Only course.md, the lessons and the quiz can be edited as text."), "error")
        return _to_course(slug)
    files = lookup.files_of(draft)
    starting = path not in files
    form = FileForm(data={"text": files[path].decode("utf-8", errors="replace") if path in files else _blank(path)})
    shown = None
    if form.validate_on_submit():
        if "preview" in request.form:
            shown = preview(files, slug, path, form.text.data or "", _minutes_per_jp(), _file_url(slug))
        else:
            operations.save_file(draft, path, form.text.data or "")
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("authoring.edit_file", slug=slug, path=path))
    if shown is None:
        shown = preview(files, slug, path, form.text.data or "", _minutes_per_jp(), _file_url(slug))
    return render_template("authoring/edit.html", draft=draft, path=path, form=form, preview=shown,
                           starting=starting, lessons=lesson_order(list(files)))


def _blank(path: str) -> str:
    """A file the draft does not have yet: a quiz to start from, else nothing."""
    return new_quiz_md() if path == "quiz.md" else ""


def _file_url(slug: str):
    return lambda path: url_for("authoring.draft_file", slug=slug, path=path)


@bp.post("/courses/<slug>/preview")
@roles_required(*AUTHOR_ROLES)
def preview_file(slug: str):
    """The live preview: JSON in (``path``, ``text``), the rendered HTML and the file's problems out."""
    subject = _subject(slug)
    data = request.get_json(silent=True) or {}
    path, text = str(data.get("path", "")), str(data.get("text", ""))
    if not operations.EDITABLE.match(path):
        return jsonify(html="", problems=[])
    shown = preview(subject.files, slug, path, text, _minutes_per_jp(), _file_url(slug))
    return jsonify(html=shown.html, problems=[str(problem) for problem in shown.problems])


@bp.post("/courses/<slug>/lessons")
@roles_required(*AUTHOR_ROLES)
def add_lesson(slug: str):
    draft = _draft(slug)
    form = LessonForm()
    if not form.validate_on_submit():
        flash(_("Give the new lesson a title."), "error")
        return _to_course(slug)
    path = operations.add_lesson(draft, form.title.data)
    db.session.commit()
    return redirect(url_for("authoring.edit_file", slug=slug, path=path))


@bp.post("/courses/<slug>/move/<path:path>")
@roles_required(*AUTHOR_ROLES)
def move_lesson(slug: str, path: str):
    draft = _draft(slug)
    try:
        operations.move_lesson(draft, path, -1 if request.form.get("direction") == "up" else 1)
    except operations.DraftError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
    return _to_course(slug, "#lessons")


@bp.post("/courses/<slug>/remove/<path:path>")
@roles_required(*AUTHOR_ROLES)
def remove_file(slug: str, path: str):
    draft = _draft(slug)
    try:
        operations.remove_file(draft, path)
    except operations.DraftError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("%(path)s is removed from the draft.", path=path), "success")
    return _to_course(slug)


@bp.post("/courses/<slug>/images")
@roles_required(*AUTHOR_ROLES)
def upload_image(slug: str):
    draft = _draft(slug)
    form = ImageForm()
    if not form.validate_on_submit():
        flash(_("Choose an image file."), "error")
        return _to_course(slug, "#images")
    upload = form.image.data
    try:
        path = operations.add_image(draft, upload.filename or "", upload.stream.read(MAX_ASSET_BYTES + 1))
    except operations.DraftError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Saved as %(path)s. Show it in a lesson with ![what the image shows](%(path)s).", path=path),
              "success")
    return _to_course(slug, "#images")


@bp.get("/courses/<slug>/files/<path:path>")
@roles_required(*AUTHOR_ROLES)
def draft_file(slug: str, path: str):
    """An image of the draft (or of the course, when none is open), for the previews."""
    content = _subject(slug).files.get(path)
    if content is None or "/" not in path:
        abort(404)
    response = Response(content, mimetype=mimetype_of(path))
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return response


@bp.get("/courses/<slug>/download")
@roles_required(*AUTHOR_ROLES)
def download(slug: str):
    """The course folder as a .zip: the published files, or the draft's with ``?draft=1`` (and
    for a course never published)."""
    subject = _subject(slug)
    use_draft = subject.draft is not None and (request.args.get("draft") == "1" or subject.course is None)
    files = lookup.files_of(subject.draft) if use_draft else {f.path: f.content for f in subject.course.files}
    name = f"{slug}-draft.zip" if use_draft else f"{slug}.zip"
    return Response(write_course_zip(slug, files), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/courses/<slug>/publish")
@roles_required(*AUTHOR_ROLES)
def publish(slug: str):
    draft = _draft(slug)
    hidden = PublishForm().hidden.data
    try:
        result = operations.publish(draft, current_user, _minutes_per_jp(), listed=not hidden)
    except CourseError as exc:
        db.session.rollback()
        flash(_("The draft is not published: first fix the %(n)d problems listed below.", n=len(exc.problems)),
              "error")
        return _to_course(slug, "#problems")
    db.session.commit()
    flash(_("Published as version %(version)s.", version=result.version), "success")
    return _to_course(slug)
