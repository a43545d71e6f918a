"""Files and folders for the owner's eyes only: a backup or a data file holds every account and
its password hash. Modes are set outright, since a process umask can leave group or others in."""
from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def folder(path: Path) -> None:
    """Create ``path`` and its missing parents as owner-only folders; existing ones keep their mode."""
    for missing in reversed([p for p in (path, *path.parents) if not p.exists()]):
        try:
            missing.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        missing.chmod(FOLDER_MODE)


def new_file(path: Path) -> None:
    """Create ``path`` empty and owner-only, so that what is written into it never was readable by others.
    It must not exist: an existing file would keep the mode it has."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)
