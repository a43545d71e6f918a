"""What an evidence file must be before HR opens it: a PDF that parses, has a page and carries
no script, program launch or attached file; or a PNG or JPEG that decodes whole within Pillow's
pixel limit. The first bytes choose the check; the name and the browser's word are not trusted."""
from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from PIL import Image, ImageFile
from pypdf import PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

log = logging.getLogger(__name__)

EVIDENCE_LIMIT = 2 * 1024 * 1024

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
_IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}

# Through these a PDF viewer runs code, starts another program or hands out a file; wherever they
# sit (the document's opening action, a page's or a field's additional actions, the name tree).
_RISKY_KEYS = ("/JS", "/JavaScript", "/EF", "/EmbeddedFiles", "/XFA")
_RISKY_ACTIONS = ("/JavaScript", "/Launch")

_STRICT_DECODING = threading.Lock()


class EvidenceError(ValueError):
    """Why an evidence file was refused, in words the employee can act on."""


def media_type(data: bytes) -> str:
    """The evidence's media type, once its content has proved to be a safe PDF, PNG or JPEG of at
    most 2 MB; an EvidenceError otherwise."""
    if not data:
        raise EvidenceError(_("The evidence file is empty."))
    if len(data) > EVIDENCE_LIMIT:
        raise EvidenceError(_("The evidence file is larger than 2 MB."))
    kind = next((kind for signature, kind in _SIGNATURES if data.startswith(signature)), None)
    if kind is None:
        raise EvidenceError(_("The evidence must be a PDF, JPEG or PNG file."))
    if kind == "application/pdf":
        _check_pdf(data)
    else:
        _check_image(data, _IMAGE_FORMATS[kind])
    return kind


def _check_pdf(data: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(data))
        readable = _unlocked(reader)
        pages = len(reader.pages) if readable else 0
        risky = readable and _has_risky_content(reader.trailer)
    # A damaged file makes pypdf raise many kinds of error, not only its own PdfReadError.
    except Exception as exc:
        log.info("Evidence refused, not a readable PDF: %r", exc)
        raise EvidenceError(_("The PDF cannot be read; it may be damaged. Attach the certificate as you "
                              "received it, or print it to a new PDF.")) from exc
    if not readable:
        raise EvidenceError(_("The PDF is protected with a password or an encryption that cannot be checked. "
                              "Print it to a new PDF and attach that."))
    if not pages:
        raise EvidenceError(_("The PDF has no pages."))
    if risky:
        raise EvidenceError(_("The PDF contains scripts, commands that start other programs or attached files. "
                              "Print it to a new PDF and attach that."))


def _unlocked(reader: PdfReader) -> bool:
    """Whether the PDF can be read: not encrypted, or encrypted with an empty password (a
    certificate locked against editing only)."""
    if not reader.is_encrypted:
        return True
    try:
        return bool(reader.decrypt(""))
    except DependencyError:
        # AES needs a cryptography package that is not installed: the content cannot be checked.
        return False


def _has_risky_content(trailer: DictionaryObject) -> bool:
    """Whether any object the document reaches is a script, a launch action or an attached file.
    Walked with a stack, not recursion: the nesting depth is the file author's choice."""
    seen: set[tuple[int, int]] = set()
    stack: list = [trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            # item["/S"] resolves an action type given by reference, as a viewer would.
            if any(key in item for key in _RISKY_KEYS) or ("/S" in item and item["/S"] in _RISKY_ACTIONS):
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def _check_image(data: bytes, kind: str) -> None:
    try:
        with _strict_decoding():
            _decode(data, kind)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise EvidenceError(_("The image has too many pixels. Attach a smaller photo or scan.")) from exc
    # As with PDFs: Pillow reports a damaged file as OSError, SyntaxError, ValueError and more.
    except Exception as exc:
        log.info("Evidence refused, not a readable %s image: %r", kind, exc)
        raise EvidenceError(_("The image cannot be read; it may be damaged or cut short. "
                              "Attach the photo or scan again.")) from exc


def _decode(data: bytes, kind: str) -> None:
    """Read the whole image: verify() checks its structure, load() decodes every pixel and so
    finds a file cut short."""
    with Image.open(io.BytesIO(data), formats=[kind]) as image:
        limit = Image.MAX_IMAGE_PIXELS
        # Pillow only warns between its limit and twice it; past the limit is refused all the same.
        if limit and image.width * image.height > limit:
            raise Image.DecompressionBombError(f"{image.width}×{image.height} pixels, more than {limit}")
        image.verify()
    # verify() leaves the image unusable: it is opened again to be decoded.
    with Image.open(io.BytesIO(data), formats=[kind]) as image:
        image.load()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow as it is by default, refusing a file cut short. WeasyPrint, which renders the
    certificates, tells Pillow process-wide to pad such files instead; the lock keeps two checks
    from restoring each other's setting."""
    with _STRICT_DECODING:
        padding = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = padding
