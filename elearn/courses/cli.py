"""``flask courses check`` and ``flask courses import``: the trainer's and the deploy's view."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from elearn.courses.importer import import_course
from elearn.courses.loader import (
    CourseError,
    LoadedCourse,
    course_folders,
    load,
    read_folder,
)
from elearn.extensions import db
from elearn.models import Course
from elearn.questions import gift
from elearn.questions.registry import from_data

courses_cli = AppGroup("courses", help="Check and import courses written as Markdown folders.")

IMPORT_STATUS = {
    "created": _l("created (version %(version)s)"),
    "updated": _l("updated (version %(version)s)"),
    "unchanged": _l("unchanged (version %(version)s)"),
}

PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))


def _load_all(paths: tuple[Path, ...]) -> list[LoadedCourse]:
    """Load every course under the paths; print every problem and exit 1 if there is any."""
    folders = course_folders(paths or (Path("courses"),))
    if not folders:
        click.echo(_("No course folder (a folder with a course.md) was found."), err=True)
        raise SystemExit(1)
    loaded, problems = [], []
    for folder in folders:
        try:
            course = load(read_folder(folder), folder.name, str(folder), current_app.config["MINUTES_PER_JP"])
        except CourseError as exc:
            problems.extend(exc.problems)
            continue
        for warning in course.warnings:
            click.echo(f"{warning.source}:{warning.line}: " + _("warning: %(message)s", message=warning.message),
                       err=True)
        loaded.append(course)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise SystemExit(1)
    return loaded


@courses_cli.command("check")
@PATHS
def check(paths: tuple[Path, ...]) -> None:
    """Validate courses without writing anything (default: ./courses)."""
    for course in _load_all(paths):
        questions = len(course.quiz.questions) if course.quiz else 0
        click.echo(f"{course.slug}: " + _("ok (%(lessons)d lessons, %(questions)d quiz questions)",
                                          lessons=len(course.lessons), questions=questions))


@courses_cli.command("import")
@PATHS
@click.option("--force", is_flag=True, help="Also overwrite courses last published from the web editor.")
def import_(paths: tuple[Path, ...], force: bool) -> None:
    """Validate, then import all courses in one transaction (default: ./courses).

    A course last published from the web editor is newer than its folder: it is skipped, so
    that a deploy never undoes a trainer's work, unless --force makes the folder win again.
    """
    loaded = _load_all(paths)
    edited_on_web = set(db.session.scalars(
        select(Course.slug).where(Course.slug.in_([course.slug for course in loaded]), Course.source == "web")))
    results = []
    for course in loaded:
        if course.slug in edited_on_web and not force:
            click.echo(f"{course.slug}: " + _("skipped: published from the web editor (--force overwrites it)"))
            continue
        result = import_course(course)
        result.course.source = "folder"
        results.append(result)
    db.session.commit()
    for result in results:
        click.echo(f"{result.course.slug}: " + IMPORT_STATUS[result.status] % {"version": result.version})


@courses_cli.command("gift")
@click.argument("slug")
def export_gift(slug: str) -> None:
    """Print a course's current quiz as GIFT, for import into Moodle."""
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None or course.current_version is None:
        click.echo(f"{slug}: " + _("no such course"), err=True)
        raise SystemExit(1)
    questions = [from_data(data) for data in course.current_version.quiz_questions or []]
    click.echo(gift.write(questions), nl=False)
