"""Evidence files written in code: real PDFs (some carrying what a viewer would run), and PNG
and JPEG images, for tests to upload whole, cut short or laced."""
from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image
from pypdf import PageObject, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def pdf(change: Callable[[PdfWriter, PageObject], None] | None = None, pages: int = 1) -> bytes:
    """An A4 PDF of blank ``pages``, after ``change(writer, first_page)``."""
    writer = PdfWriter()
    added = [writer.add_blank_page(595, 842) for _ in range(pages)]
    if change is not None:
        change(writer, added[0] if added else None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def action(kind: str, **entries: str) -> DictionaryObject:
    """An action dictionary: ``action("/JavaScript", JS="app.alert(1)")``."""
    return DictionaryObject({
        NameObject("/S"): NameObject(kind),
        **{NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()},
    })


def image(kind: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    """An image of noise, which compresses badly: cutting the file short cuts its pixels."""
    noise = random.Random(size[0] * size[1]).randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, noise).save(buffer, kind)
    return buffer.getvalue()


PDF = pdf()
