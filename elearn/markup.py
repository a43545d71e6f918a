"""The one way course text becomes HTML: Markdown, then an allow-list sanitiser.

Everything a trainer writes (course descriptions, lessons, quiz texts and feedback) goes
through ``render_markdown``; the result is stored at import and shown as it is. Whatever is
not on the allow-list is dropped: scripts, frames, forms, styles, event handlers,
``javascript:`` and ``data:`` URLs. Images must be files of the course (served by the app),
so that pages stay light and no content reaches outside the site.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

import bleach
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = [
    "toc",
    "tables",
    "fenced_code",
    "admonition",
    "attr_list",
    "sane_lists",
    "pymdownx.details",
    "pymdownx.tasklist",
    "pymdownx.superfences",
]
EXTENSION_CONFIGS = {
    "tables": {"use_align_attribute": True},
    "toc": {"permalink": False},
    "pymdownx.tasklist": {"custom_checkbox": False},
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}
ALLOWED_PROTOCOLS = {"http", "https", "mailto", "tel"}
CLASSED = ("code", "details", "div", "input", "li", "p", "pre", "span", "ul", "ol", "table")
_COMMON = {"title"}
ALLOWED_ATTRIBUTES = {
    **{tag: {"class"} | _COMMON for tag in CLASSED},
    **{tag: {"id"} | _COMMON for tag in ("h1", "h2", "h3", "h4", "h5", "h6")},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start", "class"},
    "abbr": {"title"},
}

# Elements whose *content* must go too: bleach with strip=True keeps the text inside them.
_DROPPED_WITH_CONTENT = re.compile(
    r"<(script|style|iframe|object|embed|form|template|noscript|textarea|title|xmp|noembed"
    r"|noframes|svg|math|select|button)\b.*?(</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)

# Task lists render disabled checkboxes; any other input (a fake password field…) goes.
_NOT_A_TASK_BOX = re.compile(r'<input(?![^>]*type="checkbox")[^>]*>|<input(?![^>]*\sdisabled)[^>]*>')

LinkResolver = Callable[[str, str], str | None]
# Start of Unicode's private use area, where characters shown as typed hide from Markdown.
_PRIVATE_USE = 0xE000


class _CourseLinks(Treeprocessor):
    """Turn links into the course folder (``img/map.png``, ``02-next.md``) into site URLs."""

    def __init__(self, md, resolve: LinkResolver):
        super().__init__(md)
        self.resolve = resolve

    def run(self, root: Element) -> None:
        for element in root.iter():
            attribute = {"img": "src", "a": "href"}.get(element.tag)
            url = element.get(attribute) if attribute else None
            if url and _is_relative(url):
                resolved = self.resolve(url, element.tag)
                if resolved is None:
                    del element.attrib[attribute]
                else:
                    element.set(attribute, resolved)


class _CourseLinksExtension(Extension):
    def __init__(self, resolve: LinkResolver):
        super().__init__()
        self.resolve = resolve

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_CourseLinks(md, self.resolve), "course_links", 1)


def _is_relative(url: str) -> bool:
    return not re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*:|/|#)", url.strip())


def _input_attribute(tag: str, name: str, value: str) -> bool:
    if name == "type":
        return value == "checkbox"
    return name in {"checked", "disabled", "class"}


def _attribute_filter(tag: str, name: str, value: str) -> bool:
    if tag == "input":
        return _input_attribute(tag, name, value)
    return name in ALLOWED_ATTRIBUTES.get(tag, ())


def render_markdown(
    text: str,
    resolve_link: LinkResolver | None = None,
    *,
    as_typed: Callable[[str], str] | None = None,
    line_breaks: bool = False,
) -> str:
    """Markdown to HTML that is safe to show as it is.

    ``resolve_link(url, tag)`` maps a relative link to a site URL, or to None to drop it.
    ``as_typed(text)`` may mark characters to be shown as typed, never read as Markdown syntax,
    by turning each into :func:`typed`; they come out as themselves, in code as everywhere.
    ``line_breaks`` turns each line break into ``<br>``, as Moodle's own text format does.
    """
    extensions = list(EXTENSIONS)
    if resolve_link is not None:
        extensions.append(_CourseLinksExtension(resolve_link))
    if line_breaks:
        extensions.append("nl2br")
    if as_typed is not None:
        text = as_typed(text)
    html = markdown.markdown(text, extensions=extensions, extension_configs=EXTENSION_CONFIGS)
    if as_typed is not None:
        # Put back before sanitising, so that the sanitiser sees each character as it is shown.
        html = html.translate(_SHOWN)
    return sanitise_html(html)


def typed(char: str) -> str:
    """An ASCII character as a private-use stand-in, which no Markdown rule reads."""
    return chr(_PRIVATE_USE + ord(char))


_SHOWN = {_PRIVATE_USE + code: chr(code) for code in range(128)}


def sanitise_html(html: str) -> str:
    """HTML written by an author (a quiz text in Moodle's ``[html]`` format) made safe to show."""
    html = _DROPPED_WITH_CONTENT.sub("", html)
    html = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=_attribute_filter,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return _NOT_A_TASK_BOX.sub("", html)
