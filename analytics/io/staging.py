"""Uploaded files on disk between the upload and the import.

A browser upload arrives as bytes; the readers want a file. It is written to a folder private
to this process (mode 0700, made by ``tempfile.mkdtemp``, removed when the process exits),
under a name of our own (``upload-<sha256>.<known suffix>``: the user's file name never becomes
a path), readable by this user only (0600). A staged file is discarded after its import, and
the folder never holds more than ``MAX_STAGED_BYTES``: the oldest files go first.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

#: Cap on the staging folder (an upload itself is capped by server.maxUploadSize).
MAX_STAGED_BYTES = 2 << 30
#: Suffixes the readers know; anything else is staged as .csv.
SAFE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet")

_lock = threading.Lock()
_folder: Path | None = None


def upload_suffix(file_name: str) -> str:
    """The suffix a staged copy gets: only known ones, never a path from the user."""
    suffix = Path(file_name).suffix.lower()
    return suffix if suffix in SAFE_SUFFIXES else ".csv"


def staging_folder() -> Path:
    """This process's private folder for uploads (created on first use)."""
    global _folder
    with _lock:
        if _folder is None or not _folder.is_dir():
            _folder = Path(tempfile.mkdtemp(prefix="csat-uploads-"))  # mode 0700
            atexit.register(shutil.rmtree, _folder, True)
        return _folder


def stage_upload(content: bytes, file_name: str) -> Path:
    """Write an upload to the staging folder (once per content) and return its path."""
    folder = staging_folder()
    path = folder / f"upload-{hashlib.sha256(content).hexdigest()[:16]}{upload_suffix(file_name)}"
    if path.exists():
        os.utime(path)  # used again: the last to be evicted
        return path
    with _lock:
        _make_room(folder, len(content))
        part = path.with_suffix(path.suffix + ".part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
            part.replace(path)
        finally:
            part.unlink(missing_ok=True)
    return path


def discard(path: Path) -> None:
    """Remove a staged file once it is imported (a path outside the folder is left alone)."""
    if path.parent == staging_folder():
        path.unlink(missing_ok=True)


def _make_room(folder: Path, incoming: int) -> None:
    """Delete the least recently used staged files until ``incoming`` bytes fit under the cap."""
    files = sorted((p for p in folder.iterdir() if p.is_file()), key=lambda p: p.stat().st_mtime)
    total = sum(p.stat().st_size for p in files)
    while files and total + incoming > MAX_STAGED_BYTES:
        oldest = files.pop(0)
        total -= oldest.stat().st_size
        oldest.unlink(missing_ok=True)
