"""The one Markdown-to-safe-HTML function: what it keeps, and what it never lets through."""
import re

import pytest

from elearn.markup import render_markdown

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script>alert(1)",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<img src=\"data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=\">",
    "<a href=\"javascript:alert(1)\">klik</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">klik</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">klik</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">klik</a>",
    "<a href=\"java\tscript:alert(1)\">klik</a>",
    "<a href=\" javascript:alert(1)\">klik</a>",
    "<a href=\"vbscript:msgbox(1)\">klik</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">klik</a>",
    "[klik](javascript:alert(1))",
    "[klik](JAVASCRIPT:alert(1))",
    "![x](javascript:alert(1))",
    "[klik](data:text/html,<script>alert(1)</script>)",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<object data=\"x.swf\"></object>",
    "<embed src=\"x.swf\">",
    "<form action=\"https://evil.example\"><input name=p></form>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<p style=\"background:expression(alert(1))\">teks</p>",
    "<div style=\"width: expression(alert(1))\">teks</div>",
    "<svg onload=alert(1)><circle r=1></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<input autofocus onfocus=alert(1)>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=&#97;lert(1)>",
    "<a href=\"#\" onmouseover=\"alert(1)\">x</a>",
    "<!--<script>alert(1)</script>-->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><script>alert(1)</script></template>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "`<script>alert(1)</script>` dan\n\n```\n<script>alert(1)</script>\n```",
]

FORBIDDEN = [
    re.compile(r"<\s*(script|iframe|object|embed|form|style|svg|math|base|meta|link|body|button|template)\b", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"(javascript|vbscript|data)\s*:", re.I),
    re.compile(r"expression\s*\(", re.I),
    re.compile(r"\sstyle\s*=", re.I),
]


@pytest.mark.parametrize("payload", XSS)
def test_nothing_dangerous_survives(payload):
    html = render_markdown(payload)
    for pattern in FORBIDDEN:
        assert not pattern.search(_outside_code(html)), (payload, html)
    inputs = re.findall(r"<input[^>]*>", html)
    assert all('type="checkbox"' in tag and "disabled" in tag for tag in inputs), html


def _outside_code(html: str) -> str:
    """Code blocks show markup as escaped text, which is what they are for."""
    return re.sub(r"<code>.*?</code>", "", html, flags=re.S)


def test_code_shows_markup_as_text():
    html = render_markdown("```\n<script>alert(1)</script>\n```")
    assert "&lt;script&gt;" in html and "<script" not in html


def test_script_content_is_dropped_not_shown():
    assert "alert" not in render_markdown("Teks <script>alert('x')</script> lanjut")


def test_markdown_features_are_kept():
    html = render_markdown(
        "## Standar Pelayanan\n\n"
        "| Komponen | Hari |\n|:--|--:|\n| Waktu | 3 |\n\n"
        '!!! warning "Perhatian"\n    Jangan bagikan NIK.\n\n'
        "- [x] Buka loket\n- [ ] Tutup loket\n\n"
        '??? note "Rincian"\n    Isi rincian.\n\n'
        "```python\nprint('halo')\n```\n\n"
        "[UU 25/2009](https://peraturan.go.id/) dan **tebal**"
    )
    assert '<h2 id="standar-pelayanan">' in html
    assert '<th align="left">Komponen</th>' in html and '<td align="right">3</td>' in html
    assert '<div class="admonition warning">' in html
    assert '<input type="checkbox" disabled checked>' in html
    assert "<details" in html and "<summary>Rincian</summary>" in html
    assert "<pre>" in html and "print" in html
    assert '<a href="https://peraturan.go.id/">UU 25/2009</a>' in html
    assert "<strong>tebal</strong>" in html


def test_relative_links_go_through_the_resolver():
    seen = []

    def resolve(url, tag):
        seen.append((url, tag))
        return "/courses/x/files/" + url if url.startswith("img/") else None

    html = render_markdown("![peta](img/peta.png) [berikut](02-lanjut.md) [luar](https://example.go.id)", resolve)
    assert '<img alt="peta" src="/courses/x/files/img/peta.png">' in html
    assert "<a>berikut</a>" in html
    assert seen == [("img/peta.png", "img"), ("02-lanjut.md", "a")]
