"""What the loader thinks of a draft: every problem with its file and line, and a preview of
one file as typed. Read-only: nothing here writes to the database."""
from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _

from elearn.courses.frontmatter import split
from elearn.courses.loader import CourseError, LoadedCourse, load
from elearn.markup import render_markdown
from elearn.questions.gift import Problem


@dataclass
class Check:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    course: LoadedCourse | None = None

    def of(self, slug: str, path: str) -> list[Problem]:
        """The problems of one file of the course, then its warnings, said to be warnings."""
        source = f"{slug}/{path}"
        warnings = [
            replace(warning, message=_("warning: %(message)s", message=warning.message))
            for warning in self.warnings if warning.source == source
        ]
        return [problem for problem in self.problems if problem.source == source] + warnings


@dataclass(frozen=True)
class Preview:
    html: str
    problems: list[Problem]


def check(files: dict[str, bytes], slug: str, minutes_per_jp: int) -> Check:
    """Load the files as `flask courses check` would; problems are named ``<slug>/<file>``."""
    try:
        course = load(files, slug, slug, minutes_per_jp)
    except CourseError as exc:
        return Check(problems=exc.problems)
    return Check(warnings=course.warnings, course=course)


def preview(files: dict[str, bytes], slug: str, path: str, text: str, minutes_per_jp: int,
            file_url: Callable[[str], str]) -> Preview:
    """One file as it would show, with the course's problems in that file, before it is saved.

    The body goes through the one renderer; links to the course's images point at
    ``file_url(path)``, and ```gift blocks show as the text they are (checked, not yet questions).
    """
    problems = check({**files, path: text.encode("utf-8")}, slug, minutes_per_jp).of(slug, path)
    if path == "quiz.gift":
        return Preview("", problems)
    body = split(text, path, []).body

    def resolve(url: str, tag: str) -> str | None:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), url.split("#")[0].split("?")[0]))
        return file_url(target) if target in files and "/" in target and not target.startswith("../") else None

    return Preview(render_markdown(body, resolve), problems)
