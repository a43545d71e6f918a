"""Draws the app icons in elearn/static/icons from the favicon's design (three lines of text on
the brand blue): 192 and 512 px with rounded corners, and a full-bleed 512 px one that Android
may cut to a circle or a squircle (its lines stay inside the middle 80 %, the safe zone).

Run it after changing the design: python scripts/make_icons.py
"""
from pathlib import Path

from PIL import Image, ImageDraw

BRAND = "#0b5e8e"
FOLDER = Path(__file__).resolve().parent.parent / "elearn" / "static" / "icons"
# The favicon's 32-unit grid: the bars as (x, y, width) with a height of 3 units.
BARS = ((8, 10, 16), (8, 15, 12), (8, 20, 16))


def icon(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=BRAND)
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size * 6 // 32, fill=BRAND)
    # The maskable icon draws the favicon at 70 % around the centre, inside the safe zone.
    scale, offset = (size * 0.7 / 32, size * 0.15) if maskable else (size / 32, 0)
    for x, y, width in BARS:
        draw.rectangle((offset + x * scale, offset + y * scale,
                        offset + (x + width) * scale - 1, offset + (y + 3) * scale - 1), fill="white")
    return image


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    icon(192, maskable=False).save(FOLDER / "icon-192.png", optimize=True)
    icon(512, maskable=False).save(FOLDER / "icon-512.png", optimize=True)
    icon(512, maskable=True).save(FOLDER / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
