"""How a course's own files (images, documents) are sent to a browser."""
from __future__ import annotations

import mimetypes

# Course files are written by trainers: even an SVG opened on its own runs no script.
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def mimetype_of(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"
