"""A question's texts as safe HTML: each part rendered by the one sanitising renderer in the
format GIFT gave it."""
from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from typing import Any

from elearn.markup import render_markdown, sanitise_html, typed

# Where GIFT's control characters would be Markdown syntax: "#" opening a heading (after any
# list or quote markers), a line of "=" under a heading, "~~~" opening code, the braces of an
# attribute list. In a GIFT text these characters were escaped (or, in a question's text, are
# plain text as in Moodle), so Markdown must not read them there. Everywhere else (a link to
# "#part", an entity "&#8217;", an attribute 'href="…"') Markdown never reads them as syntax.
_GIFT_CONTROL_AS_MARKDOWN = re.compile(
    r"^([ \t]*(?:(?:[>*+-]|\d+[.)])[ \t]+)*)(#+)"
    r"|^([ \t]*)(=+)(?=[ \t]*$)"
    r"|^([ \t]*)(~{3,})"
    r"|()([{}])",
    re.MULTILINE,
)


def _gift_control_as_typed(text: str) -> str:
    def keep(match: re.Match[str]) -> str:
        lead, control = next((match[n], match[n + 1]) for n in (1, 3, 5, 7) if match[n + 1])
        return lead + "".join(typed(char) for char in control)

    return _GIFT_CONTROL_AS_MARKDOWN.sub(keep, text)


# Options, right answers and feedback are rendered each time a quiz, a lesson's check or a result
# is shown: the same few thousand texts of the courses, each costing the Markdown parser and the
# sanitiser about a millisecond, so each worker renders each once.
@lru_cache(maxsize=4096)
def render_text(text: str, text_format: str) -> str:
    """One text of a question as safe HTML, read as Moodle reads its four formats, except that
    Moodle's own format is Markdown here (the language of our course files) with Moodle's line
    breaks."""
    if not text:
        return ""
    if text_format == "plain":
        return "<p>" + escape(text).replace("\n", "<br>") + "</p>"
    if text_format == "html":
        return sanitise_html(text)
    return render_markdown(text, as_typed=_gift_control_as_typed, line_breaks=text_format == "moodle")


def part_html(question: dict[str, Any], text: str, text_format: str | None) -> str:
    """An answer's or a feedback's HTML: in its own format, or else in the question's."""
    return render_text(text, text_format or question["text_format"])
