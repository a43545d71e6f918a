"""Charts drawn on the server as SVG: nothing to download, nothing from the internet, readable
without JavaScript and by screen readers (each chart has a title and a text table beside it).
The HR dashboard draws them, and so do the trainers' course pages."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

BAR = "#1f5f8b"
TARGET = "#a32020"
INK = "#1b2a3a"
GRID = "#d5dbe1"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the reader should see it, e.g. "75%" or "12"


def horizontal_bars(title: str, bars: list[Bar], maximum: float, marker: float | None = None) -> Markup:
    """One bar per row with its label on the left and its value on the right; ``marker``
    draws a vertical line (a target) across all rows."""
    label_width, bar_width, value_width, row = 220, 360, 70, 26
    width, height = label_width + bar_width + value_width, max(1, len(bars)) * row + 10
    scale = bar_width / maximum if maximum else 0
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for i, bar in enumerate(bars):
        y = 5 + i * row
        length = max(0.0, min(bar.value, maximum)) * scale
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="{INK}">'
            f"{escape(_shorten(bar.label))}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" fill="{BAR}" rx="2"/>'
            f'<text x="{label_width + bar_width + 6}" y="{y + 17}" font-size="13" fill="{INK}">{escape(bar.shown)}</text>'
        )
    if marker is not None and maximum:
        x = label_width + min(marker, maximum) * scale
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="{TARGET}" '
                     f'stroke-width="2" stroke-dasharray="4 3"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(title: str, bars: list[Bar]) -> Markup:
    """Vertical columns over time (one per month), labels below, values on top."""
    column, gap, chart_height, label_space = 40, 14, 160, 40
    width = max(1, len(bars)) * (column + gap) + gap
    height = chart_height + label_space + 20
    top = max((bar.value for bar in bars), default=0) or 1
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             f'<line x1="0" y1="{chart_height + 20}" x2="{width}" y2="{chart_height + 20}" stroke="{GRID}"/>']
    for i, bar in enumerate(bars):
        x = gap + i * (column + gap)
        h = bar.value / top * chart_height
        y = 20 + chart_height - h
        parts.append(
            f'<rect x="{x}" y="{y:.1f}" width="{column}" height="{h:.1f}" fill="{BAR}" rx="2"/>'
            f'<text x="{x + column / 2}" y="{y - 4:.1f}" text-anchor="middle" font-size="12" fill="{INK}">'
            f"{escape(bar.shown)}</text>"
            f'<text x="{x + column / 2}" y="{chart_height + 36}" text-anchor="middle" font-size="11" fill="{INK}">'
            f"{escape(bar.label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
