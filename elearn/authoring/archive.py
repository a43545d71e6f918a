"""Course folders as .zip files: an upload read safely, and a course written back out.

An uploaded archive is untrusted. Names may climb out of the folder (``../``, ``/etc/…``,
``C:\\…``), entries may be symbolic links, and a few kilobytes may inflate to gigabytes. So
every entry is checked before any is read, sizes are counted while inflating (the sizes an
archive declares can lie), and one bad entry refuses the whole archive: the caller gets all
the files or an error listing every reason, never part of a course.
"""
from __future__ import annotations

import io
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from elearn.authoring.filetypes import matches_extension
from elearn.courses.loader import ASSET_TYPES, MAX_ASSET_BYTES
from elearn.i18n import gettext as _

MAX_ENTRIES = 500
MAX_FILE_BYTES = MAX_ASSET_BYTES
MAX_TOTAL_BYTES = 30 * 1024 * 1024
TEXT_TYPES = {".md", ".gift"}
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
# What zip tools add beside the files: macOS resource forks, Finder and editor litter.
_IGNORED = re.compile(r"(^|/)(__MACOSX|\.[^/]*)(/|$)")


class ArchiveError(ValueError):
    """The archive is refused; ``messages`` says every reason, entry by entry."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class CourseArchive:
    files: dict[str, bytes]
    folder: str | None  # the one folder all files were in, if they were


def read_course_zip(stream: BinaryIO) -> CourseArchive:
    """The files of a course folder packed as a .zip, by path relative to the folder."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ArchiveError([_("The file is not a .zip archive.")]) from None
    with archive:
        entries = _checked_entries(archive.infolist())
        files = _read_entries(archive, entries)
    if not files:
        raise ArchiveError([_("The archive holds no course files.")])
    return _without_top_folder(files)


def _checked_entries(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    if len(infos) > MAX_ENTRIES:
        raise ArchiveError([_("The archive has %(n)d entries; at most %(max)d are allowed.",
                              n=len(infos), max=MAX_ENTRIES)])
    messages, entries, seen = [], [], set()
    for info in infos:
        problem = _entry_problem(info, seen)
        seen.add(info.filename)
        if problem:
            messages.append(f"{info.filename}: {problem}")
        elif not info.is_dir() and not _IGNORED.search(info.filename):
            entries.append(info)
    declared = sum(info.file_size for info in entries)
    if declared > MAX_TOTAL_BYTES:
        messages.append(_("The files add up to more than %(mb)d MB once unpacked.", mb=MAX_TOTAL_BYTES // 2**20))
    if messages:
        raise ArchiveError(messages)
    return entries


def _entry_problem(info: zipfile.ZipInfo, seen: set[str]) -> str | None:
    """Why one entry is refused, or None. Names are checked as written, before any unpacking."""
    name = info.filename
    parts = name.rstrip("/").split("/")
    if "\\" in name:
        return _("backslashes are not allowed in names; use / between folders.")
    if name.startswith("/") or _DRIVE.match(name):
        return _("absolute paths are not allowed.")
    if any(part in {"", ".", ".."} for part in parts):
        return _("the path leaves the course folder or is not a plain path.")
    if any(ord(char) < 32 for char in name):
        return _("the name contains control characters.")
    if name in seen:
        return _("the archive holds this name twice.")
    if stat.S_ISLNK(info.external_attr >> 16):
        return _("symbolic links are not allowed.")
    if info.flag_bits & 0x1:
        return _("encrypted files are not allowed.")
    if info.is_dir() or _IGNORED.search(name):
        return None
    extension = posixpath.splitext(name)[1].lower()
    if extension not in TEXT_TYPES | ASSET_TYPES:
        return _("only .md and .gift files, images (PNG, JPEG, GIF, WebP, SVG) and PDF files are allowed.")
    if info.file_size > MAX_FILE_BYTES:
        return _("the file is larger than %(mb)d MB.", mb=MAX_FILE_BYTES // 2**20)
    return None


def _read_entries(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    files, messages, total = {}, [], 0
    for info in entries:
        try:
            content = _read_limited(archive, info)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            messages.append(f"{info.filename}: " + _("the entry is damaged."))
            continue
        except (NotImplementedError, RuntimeError):
            messages.append(f"{info.filename}: " + _("the entry is packed in a way this site cannot read."))
            continue
        if content is None:
            messages.append(f"{info.filename}: " + _("the file is larger than %(mb)d MB.", mb=MAX_FILE_BYTES // 2**20))
            continue
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            raise ArchiveError([_("The files add up to more than %(mb)d MB once unpacked.",
                                  mb=MAX_TOTAL_BYTES // 2**20)])
        if posixpath.splitext(info.filename)[1].lower() in ASSET_TYPES and not matches_extension(info.filename,
                                                                                                 content):
            messages.append(f"{info.filename}: " + _("the content is not the kind of file its name says."))
            continue
        files[info.filename] = content
    if messages:
        raise ArchiveError(messages)
    return files


def _read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The entry's bytes, or None as soon as more than MAX_FILE_BYTES come out of it."""
    chunks, size = [], 0
    with archive.open(info) as entry:
        while chunk := entry.read(_CHUNK):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def _without_top_folder(files: dict[str, bytes]) -> CourseArchive:
    """A zipped folder ``<id>/course.md …`` and a zip of the folder's contents both work."""
    tops = {path.split("/", 1)[0] for path in files}
    if "course.md" in files or len(tops) != 1 or any("/" not in path for path in files):
        return CourseArchive(files, None)
    top = tops.pop()
    return CourseArchive({path[len(top) + 1:]: content for path, content in files.items()}, top)


def write_course_zip(slug: str, files: dict[str, bytes]) -> bytes:
    """The course as the folder ``<slug>/`` in a .zip, the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{slug}/{path}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[path])
    return buffer.getvalue()
