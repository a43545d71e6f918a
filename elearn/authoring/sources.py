"""The text of a course folder's files as the web editor writes them: course.md from form
fields and back, a new lesson, a quiz to start from, lesson files renumbered. Plain functions
over strings; what they write is then checked by the loader like any other course folder."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

from elearn.courses.frontmatter import split
from elearn.courses.loader import LESSON_FILE
from elearn.i18n import gettext as _
from elearn.questions import gift

# The course.md fields the settings form shows; any other field is edited in course.md itself.
SETTINGS_FIELDS = ("title", "summary", "jp", "competency", "tags", "passing_score", "authors", "organiser")
NUMBER_FIELDS = ("jp", "passing_score")
LIST_FIELDS = {"tags": (",", ", "), "authors": ("\n", "\n")}  # split on, join with


def front_matter(meta: dict[str, Any]) -> str:
    """YAML between --- lines, one field a line in the given order, quoted where YAML needs it."""
    text = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=10_000)
    return f"---\n{text}---\n"


def course_md(meta: dict[str, Any], description: str) -> str:
    return front_matter(meta) + "\n" + description.strip("\n") + "\n"


def read_course_md(text: str) -> tuple[dict[str, Any], str] | None:
    """The front matter and description of course.md, or None when its front matter does not parse."""
    problems: list[gift.Problem] = []
    document = split(text, "course.md", problems)
    return None if problems else (document.meta, document.body.strip("\n"))


def settings_values(meta: dict[str, Any]) -> dict[str, str]:
    """course.md's fields as the texts of the settings form: lists joined, numbers written out."""
    values = {}
    for name in SETTINGS_FIELDS:
        value = meta.get(name)
        if isinstance(value, list):
            value = LIST_FIELDS[name][1].join(str(item) for item in value)
        values[name] = "" if value is None else str(value)
    return values


def meta_from_settings(values: dict[str, str], previous: dict[str, Any]) -> dict[str, Any]:
    """The settings form's texts as course.md fields, in the order course.md had them.

    A text that does not read as its type is kept as typed (the loader then says what is
    wrong, at its line); an emptied field is left out. The id and the fields the form does not
    show stay as they were.
    """
    typed = {}
    for name in SETTINGS_FIELDS:
        text = (values.get(name) or "").strip()
        if name in LIST_FIELDS:
            typed[name] = [item.strip() for item in text.split(LIST_FIELDS[name][0]) if item.strip()]
        elif text:
            typed[name] = _number(text) if name in NUMBER_FIELDS else text
    meta = {name: typed.get(name, value) for name, value in previous.items()
            if name not in SETTINGS_FIELDS or name in typed}
    meta.update({name: value for name, value in typed.items() if name not in meta})
    return meta


def _number(text: str) -> int | float | str:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def lesson_md(title: str, minutes: int, body: str) -> str:
    return front_matter({"title": title, "minutes": minutes}) + "\n" + body.strip("\n") + "\n"


def new_lesson_md(title: str, minutes: int) -> str:
    return lesson_md(title, minutes, _("Write the lesson here in Markdown."))


def new_quiz_md() -> str:
    """A quiz.md to start from: its settings and one question showing the GIFT form."""
    example = gift.MultipleChoice(
        title=_("First question"), text=_("Replace this question and its answers"),
        answers=[gift.Choice(_("Right answer"), 1.0, _("Explain why it is right.")),
                 gift.Choice(_("Wrong answer"), 0.0, _("Explain why it is wrong."))],
    )
    meta = {"title": _("Final quiz"), "passing_score": 70, "max_attempts": 3, "shuffle": True}
    return front_matter(meta) + "\n```gift\n" + gift.write([example]) + "```\n"


def slugify(text: str, fallback: str) -> str:
    """Lowercase ASCII letters, digits and dashes: what lesson files and course ids are named with."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return slug or fallback


def lesson_order(paths: list[str]) -> list[tuple[str, str]]:
    """Lesson files as (path, slug), in the order the loader takes them: by their number."""
    found = [(int(m.group(1)), path, m.group(2)) for path in paths if (m := LESSON_FILE.match(path))]
    return [(path, slug) for _, path, slug in sorted(found)]


def renumbered(order: list[tuple[str, str]]) -> dict[str, str]:
    """New names numbering the lessons 01, 02, … in this order; the slugs (identities) stay."""
    width = max(2, len(str(len(order))))
    return {path: f"{number:0{width}d}-{slug}.md" for number, (path, slug) in enumerate(order, start=1)}


def rewrite_links(text: str, renames: dict[str, str]) -> str:
    """Links between lessons follow their renamed files: ``](02-x.md)`` and ``[ref]: 02-x.md``."""
    moved = {old: new for old, new in renames.items() if old != new}
    if not moved:
        return text
    names = "|".join(re.escape(old) for old in sorted(moved, key=len, reverse=True))
    pattern = re.compile(rf"(\]\(\s*<?(?:\./)?|^\s*\[[^\]\n]+\]:\s*<?(?:\./)?)({names})(?=[)#>\s]|$)", re.MULTILINE)
    return pattern.sub(lambda match: match.group(1) + moved[match.group(2)], text)
