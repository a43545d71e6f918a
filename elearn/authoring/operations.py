"""Changes to drafts: a course folder being edited on the web, and its publication.

A draft keeps every file as the trainer typed it, valid or not, so that no save loses work;
the loader says what is wrong after each save, and validity is required only to publish.
Publishing imports the draft's files exactly as `flask courses import` imports a folder, so
a published edit is a new version that keeps every learner's progress.

Operations flush; the caller commits once.
"""
from __future__ import annotations

import posixpath
import re


from elearn.access import may_edit
from elearn.authoring.archive import CourseArchive
from elearn.authoring.filetypes import image_extension
from elearn.authoring.lookup import course_for, draft_for, files_of
from elearn.authoring.sources import (
    course_md,
    lesson_order,
    new_lesson_md,
    read_course_md,
    renumbered,
    rewrite_links,
    slugify,
)
from elearn.courses.importer import ImportResult, import_course
from elearn.courses.loader import COURSE_FIELDS, MAX_ASSET_BYTES, load
from elearn.extensions import db
from elearn.i18n import gettext as _
from elearn.models import Course, CourseDraft, CourseDraftFile, CourseTrainer, User
from elearn.models.audit import record
from elearn.timeutil import utcnow

# The text files the editor opens; images come in by upload only.
EDITABLE = re.compile(r"^(course\.md|quiz\.md|quiz\.gift|\d+-[a-z0-9][a-z0-9-]*\.md)$")
REMOVABLE = re.compile(r"^(quiz\.md|quiz\.gift|\d+-[a-z0-9][a-z0-9-]*\.md|img/[^/]+)$")


class DraftError(ValueError):
    """An action on a draft that cannot be done; the message says why, for the trainer."""


def create_draft(actor: User, fields: dict, lesson_title: str, minutes_per_jp: int) -> CourseDraft:
    """A new course: course.md from the form's ``fields`` (id, title, summary, jp, competency,
    organiser) with the actor as author, and one lesson as long as the course's JP; no quiz."""
    slug = fields["id"]
    if course_for(slug) is not None or draft_for(slug) is not None:
        raise DraftError(_("A course with the id %(id)s already exists: choose another id.", id=slug))
    given = {**fields, "tags": [], "passing_score": 70, "authors": [actor.name]}
    meta = {name: given[name] for name in COURSE_FIELDS if name in given}
    description = _("Describe the course here: who it is for, what learners will be able to do afterwards, "
                    "and how they pass.")
    minutes = max(1, min(600, round(fields["jp"] * minutes_per_jp)))
    files = {
        "course.md": course_md(meta, description),
        f"01-{slugify(lesson_title, 'pendahuluan')}.md": new_lesson_md(lesson_title, minutes),
    }
    return _new_draft(actor, slug, None, {path: text.encode("utf-8") for path, text in files.items()}, "new")


def start_draft(actor: User, course: Course) -> CourseDraft:
    """Edit a published course on the web: a draft of its current files, or the draft already open."""
    return draft_for(course.slug) or _new_draft(
        actor, course.slug, course, {file.path: file.content for file in course.files}, "course")


def draft_from_archive(actor: User, archive: CourseArchive, minutes_per_jp: int) -> CourseDraft:
    """An uploaded course folder as a draft, once it passes the checks of `flask courses import`
    (CourseError otherwise). It may replace a course only for that course's trainers, and an
    open draft is never overwritten."""
    slug = archive.folder or _declared_id(archive.files)
    load(archive.files, slug, slug or "course", minutes_per_jp)
    course = course_for(slug)
    if course is not None and not may_edit(actor, course):
        raise DraftError(_("The course %(id)s already exists and you are not one of its trainers.", id=slug))
    if draft_for(slug) is not None:
        raise DraftError(_("The course %(id)s is already being edited on the web: publish or discard that "
                           "draft first.", id=slug))
    return _new_draft(actor, slug, course, archive.files, "archive")


def _declared_id(files: dict[str, bytes]) -> str:
    """The id course.md gives, for an archive of a folder's contents rather than of the folder."""
    try:
        read = read_course_md(files.get("course.md", b"").decode("utf-8"))
    except UnicodeDecodeError:
        return ""
    declared = read[0].get("id") if read else None
    return declared if isinstance(declared, str) else ""


def _new_draft(actor: User, slug: str, course: Course | None, files: dict[str, bytes], origin: str) -> CourseDraft:
    draft = CourseDraft(
        slug=slug, course_id=course.id if course else None, created_by_id=actor.id, updated_at=utcnow(),
        files=[CourseDraftFile(path=path, content=content) for path, content in sorted(files.items())],
    )
    db.session.add(draft)
    db.session.flush()
    record(actor, "draft.created", "course_draft", draft.id, slug=slug, origin=origin)
    return draft


def save_file(draft: CourseDraft, path: str, text: str) -> None:
    """Keep the text as typed (browsers send CRLF line ends; the folder format uses LF)."""
    if not EDITABLE.match(path):
        raise DraftError(_("Only course.md, the lessons and the quiz can be edited as text."))
    _put(draft, path, text.replace("\r\n", "\n").encode("utf-8"))


def add_lesson(draft: CourseDraft, title: str, minutes: int = 15) -> str:
    """A new lesson at the end, named after its title; returns its file name."""
    order = lesson_order([file.path for file in draft.files])
    slugs = {slug for _path, slug in order}
    slug = base = slugify(title, f"pelajaran-{len(order) + 1}")
    suffix = 2
    while slug in slugs:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    last = max((int(path.split("-", 1)[0]) for path, _slug in order), default=0)
    path = f"{last + 1:02d}-{slug}.md"
    _put(draft, path, new_lesson_md(title.strip() or slug, minutes).encode("utf-8"))
    return path


def move_lesson(draft: CourseDraft, path: str, offset: int) -> None:
    """Move a lesson up (-1) or down (+1) and number all lessons again; the slugs, and so the
    learners' progress, stay the same."""
    order = lesson_order([file.path for file in draft.files])
    index = next((n for n, (lesson, _slug) in enumerate(order) if lesson == path), None)
    if index is None:
        raise DraftError(_("Only lessons can be moved."))
    target = index + offset
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    _rename(draft, renumbered(order))


def _rename(draft: CourseDraft, renames: dict[str, str]) -> None:
    moved = {old: new for old, new in renames.items() if old != new}
    if not moved:
        return
    files = {file.path: file for file in draft.files}
    # Two steps, so that no new name meets an old one still there (paths are unique per draft).
    for old in moved:
        files[old].path = f"~moving~/{old}"
    db.session.flush()
    for old, new in moved.items():
        files[old].path = new
    for file in draft.files:
        if file.path.endswith(".md"):
            try:
                text = file.content.decode("utf-8")
            except UnicodeDecodeError:
                continue  # the loader reports the file; its links cannot be read anyway
            file.content = rewrite_links(text, moved).encode("utf-8")
    draft.updated_at = utcnow()
    db.session.flush()


def remove_file(draft: CourseDraft, path: str) -> None:
    file = next((file for file in draft.files if file.path == path), None)
    if file is None or not REMOVABLE.match(path):
        raise DraftError(_("This file cannot be removed."))
    draft.files.remove(file)
    draft.updated_at = utcnow()
    db.session.flush()


def add_image(draft: CourseDraft, filename: str, content: bytes) -> str:
    """Store an uploaded image as ``img/<name>``, replacing one of the same name; its type is
    read from its content, and the name gets the matching extension."""
    if len(content) > MAX_ASSET_BYTES:
        raise DraftError(_("The image is larger than %(mb)d MB.", mb=MAX_ASSET_BYTES // 2**20))
    extension = image_extension(content)
    if extension is None:
        raise DraftError(_("Only PNG, JPEG, GIF and WebP images can be uploaded, and this file is none of them."))
    path = f"img/{slugify(posixpath.splitext(posixpath.basename(filename))[0], 'image')}{extension}"
    _put(draft, path, content)
    return path


def _put(draft: CourseDraft, path: str, content: bytes) -> None:
    file = next((file for file in draft.files if file.path == path), None)
    if file is None:
        draft.files.append(CourseDraftFile(path=path, content=content))
    else:
        file.content = content
    draft.updated_at = utcnow()
    db.session.flush()


def publish(draft: CourseDraft, actor: User, minutes_per_jp: int, listed: bool = True) -> ImportResult:
    """Import the draft like a folder (raising CourseError if it is not valid), make the
    course a web course, its author one of its trainers, and close the draft.

    ``listed=False`` keeps a course that is not yet in the catalogue out of it, for its
    trainers to try as learners; a course already listed stays listed.
    """
    existing = course_for(draft.slug)
    was_listed = existing is not None and existing.status == "published"
    loaded = load(files_of(draft), draft.slug, draft.slug, minutes_per_jp)
    result = import_course(loaded, actor)
    course = result.course
    course.source = "web"
    course.status = "published" if listed or was_listed else "draft"
    for user_id in {draft.created_by_id, actor.id}:
        _add_trainer(course, user_id)
    record(actor, "course.published", "course", course.id, slug=course.slug, version=result.version,
           status=course.status)
    db.session.delete(draft)
    db.session.flush()
    return result


def _add_trainer(course: Course, user_id: int) -> None:
    """Trainers become trainers of what they publish; admins may edit everything anyway."""
    user = db.session.get(User, user_id)
    if user.has_role("trainer") and db.session.get(CourseTrainer, (course.id, user_id)) is None:
        db.session.add(CourseTrainer(course_id=course.id, user_id=user_id))


def discard(draft: CourseDraft, actor: User) -> None:
    record(actor, "draft.discarded", "course_draft", draft.id, slug=draft.slug)
    db.session.delete(draft)
    db.session.flush()
