"""Payloads for cross-site scripting tests, and the check that a page shows them as text."""
from html.parser import HTMLParser

from markupsafe import escape

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
    "<iframe src=javascript:alert(1)>",
    "<a href=javascript:alert(1)>klik</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">klik</a>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)' autofocus='",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "\" autofocus onfocus=alert(1) x=\"",
    "`-alert(1)-`",
    # Entities: each with a quote, so that no other payload's escaped form contains it.
    "&lt;script&gt;alert('e1')&lt;/script&gt;",
    "&#60;script&#62;alert('e2')&#60;/script&#62;",
    "&quot; onmouseover=&quot;alert('e3')",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<style>@import 'http://evil.example/x.css';</style>",
    "<meta http-equiv=refresh content=0;url=//evil.example>",
    "<form action=//evil.example><button>OK</button></form>",
    "{{ 7*7 }}{% raw %}",
    "${7*7}<%= 7*7 %>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "Budi <b>tebal</b> & \"kutip\" 'tunggal'",
]

SPECIAL = set("<>\"'&")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
FOREIGN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "math", "video", "audio", "style"}


class _Markup(HTMLParser):
    """Reads a page as a browser would and notes markup that could run script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value.startswith(("javascript:", "vbscript:", "data:text")):
                self.found.append(f"<{tag} {name}={value[:30]}>")
        if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/"):
            self.found.append("<script> not from /static/")
        if tag in FOREIGN_TAGS or (tag == "meta" and "refresh" in str(attrs).lower()):
            self.found.append(f"<{tag}>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.found.append("inline script")


def unescaped(body: str, payload: str, must_show: bool = True, limit: int | None = None) -> list[str]:
    """What is wrong with how ``body`` shows ``payload`` (cut to ``limit`` characters, as stored)."""
    text = payload[:limit] if limit else payload
    problems = []
    if SPECIAL & set(text) and text in body:
        problems.append(f"raw {text!r}")
    if must_show and str(escape(text)) not in body:
        problems.append(f"escaped form of {text!r} missing")
    return problems


def dangerous_markup(body: str) -> list[str]:
    """Event handlers, script URLs, inline or foreign scripts, frames: none is in our templates."""
    parser = _Markup()
    parser.feed(body)
    parser.close()
    return parser.found
