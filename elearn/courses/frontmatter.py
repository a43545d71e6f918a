"""YAML front matter: split it from the Markdown, read it safely, check each field's type.

Problems carry the line of the field they concern, so a trainer can go straight to it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from flask_babel import gettext as _

from elearn.questions.gift import Problem

_FENCE = re.compile(r"^---[ \t]*$")


@dataclass(frozen=True)
class Field:
    """One front-matter field: how to check it, and whether it must be there."""

    check: Callable[[Any], Any]
    required: bool = False


@dataclass
class Document:
    meta: dict[str, Any]
    body: str
    body_line: int  # the file line on which the body starts
    field_lines: dict[str, int]


def split(text: str, source: str, problems: list[Problem]) -> Document:
    """Front matter between two ``---`` lines at the very top; the rest is the body."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        problems.append(Problem(source, 1, _("The file must start with front matter between two --- lines.")))
        return Document({}, text, 1, {})
    end = next((n for n in range(1, len(lines)) if _FENCE.match(lines[n])), None)
    if end is None:
        problems.append(Problem(source, 1, _("The front matter is not closed by a --- line.")))
        return Document({}, "", len(lines), {})
    meta = _load_yaml("\n".join(lines[1:end]), source, problems)
    field_lines = {}
    for number, line in enumerate(lines[1:end], start=2):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if match:
            field_lines.setdefault(match.group(1), number)
    return Document(meta, "\n".join(lines[end + 1:]), end + 2, field_lines)


def _load_yaml(text: str, source: str, problems: list[Problem]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        # Where the broken construct starts (an unclosed list…) is the line to fix.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 2 if mark else 2
        problems.append(Problem(source, line, _("The front matter is not valid YAML: %(error)s",
                                                error=exc.problem or str(exc))))
        return {}
    except yaml.YAMLError as exc:
        problems.append(Problem(source, 2, _("The front matter is not valid YAML: %(error)s", error=str(exc))))
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(source, 2, _("The front matter must be a list of 'field: value' lines.")))
        return {}
    return data


def check_fields(document: Document, schema: dict[str, Field], source: str,
                 problems: list[Problem]) -> dict[str, Any]:
    """The checked values of the known fields; unknown and missing fields are problems."""
    values = {}
    for name, value in document.meta.items():
        line = document.field_lines.get(str(name), 2)
        field = schema.get(str(name))
        if field is None:
            known = ", ".join(schema)
            problems.append(Problem(source, line, _("Unknown field %(name)s. Known fields: %(known)s.",
                                                    name=name, known=known)))
            continue
        try:
            values[name] = field.check(value)
        except ValueError as exc:
            problems.append(Problem(source, line, f"{name}: {exc}"))
    for name, field in schema.items():
        if field.required and name not in document.meta:
            problems.append(Problem(source, 1, _("The field %(name)s is missing.", name=name)))
    return values


def text(max_length: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(_("write some text here."))
        if len(value) > max_length:
            raise ValueError(_("at most %(n)d characters.", n=max_length))
        return value.strip()

    return check


def number(minimum: float, maximum: float, whole: bool = False, above: bool = False) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or (whole and not isinstance(value, int)):
            raise ValueError(_("a whole number is needed.") if whole else _("a number is needed."))
        if above and not minimum < value <= maximum:
            raise ValueError(_("must be more than %(low)s and at most %(high)s.", low=minimum, high=maximum))
        if not minimum <= value <= maximum:
            raise ValueError(_("must be between %(low)s and %(high)s.", low=minimum, high=maximum))
        return value

    return check


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_("write true or false."))
    return value


def one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(_("must be one of: %(choices)s.", choices=", ".join(choices)))
        return value

    return check


def text_list(max_length: int) -> Callable[[Any], list[str]]:
    def check(value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(_("write a list, for example [first, second]."))
        if any(len(v) > max_length for v in value):
            raise ValueError(_("each item may have at most %(n)d characters.", n=max_length))
        return [v.strip() for v in value]

    return check
