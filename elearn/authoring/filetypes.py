"""What a file really is, read from its first bytes: a name or a browser's word is not proof."""
from __future__ import annotations

import posixpath

# Each image type by its signature, with the extension its files are given.
_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def image_extension(content: bytes) -> str | None:
    """``.png``, ``.jpg``, ``.gif`` or ``.webp`` for a raster image of those types, else None."""
    for signature, extension in _IMAGE_SIGNATURES:
        if content.startswith(signature):
            return extension
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return ".webp"
    return None


def is_svg(content: bytes) -> bool:
    """Text (no NUL byte) with an <svg> element near the start, after any XML prolog."""
    head = content[:4096]
    if b"\0" in head:
        return False
    text = head.decode("utf-8", errors="ignore").lower()
    return "<svg" in text and "<html" not in text


def matches_extension(path: str, content: bytes) -> bool:
    """Whether an asset's content is what its extension says (an image, an SVG or a PDF)."""
    extension = posixpath.splitext(path)[1].lower()
    if extension in IMAGE_EXTENSIONS:
        found = image_extension(content)
        return found == extension or (found == ".jpg" and extension == ".jpeg")
    if extension == ".svg":
        return is_svg(content)
    if extension == ".pdf":
        return content.startswith(b"%PDF-")
    return False
