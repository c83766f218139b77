"""Where document files live: ``VAR_DIR/documents/<2 characters>/<random name>``, outside the web root,
readable by the service user only. Names are random (they reveal nothing and cannot be guessed).
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from . import filecrypt

TEMP_PREFIX = ".upload-"
# A restore moves the documents there before it to `documents.before-restore-<time>` (kept, not deleted).
SET_ASIDE_PREFIX = "documents.before-restore-"


def documents_dir() -> Path:
    return Path(settings.VAR_DIR) / "documents"


def set_aside_dirs() -> list[Path]:
    """The document folders a restore set aside, oldest first."""
    return sorted(documents_dir().parent.glob(f"{SET_ASIDE_PREFIX}*"))


def new_storage_name() -> str:
    return secrets.token_hex(20)


def path_for(storage_name: str) -> Path:
    if not storage_name or not all(c in "0123456789abcdef" for c in storage_name):
        raise ValueError("not a storage name")
    return documents_dir() / storage_name[:2] / storage_name


def store_encrypted(source: BinaryIO, storage_name: str, key: bytes, context: str) -> Path:
    """Encrypt `source` to its place, atomically (a crash leaves a temporary file, never half a document)."""
    final = path_for(storage_name)
    final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = final.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as target:
            filecrypt.encrypt_file(source, target, key, context)
            target.flush()
            os.fsync(target.fileno())
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return final


def read_decrypted(storage_name: str, key: bytes, context: str) -> Iterator[bytes]:
    """The plaintext, chunk by chunk. The first chunk is read (and authenticated) before this returns, so a
    missing or damaged file fails here, not half-way through a response."""
    handle = path_for(storage_name).open("rb")
    chunks = filecrypt.decrypt_chunks(handle, key, context)
    try:
        first = next(chunks)
    except BaseException:
        handle.close()
        raise

    def stream() -> Iterator[bytes]:
        try:
            yield first
            yield from chunks
        finally:
            handle.close()

    return stream()


def remove(storage_name: str) -> None:
    """Delete a document's file, and its copies in the folders a restore set aside (an erased person's
    document must not survive there)."""
    path = path_for(storage_name)
    path.unlink(missing_ok=True)
    for folder in set_aside_dirs():
        (folder / path.parent.name / path.name).unlink(missing_ok=True)


def _set_aside_at(folder: Path) -> float:
    """When the restore set the folder aside, from its name (renaming keeps the folder's old mtime)."""
    try:
        return time.mktime(time.strptime(folder.name.removeprefix(SET_ASIDE_PREFIX)[:15], "%Y%m%dT%H%M%S"))
    except ValueError:
        return folder.stat().st_mtime


def remove_old_set_aside_dirs(keep_days: int) -> list[Path]:
    """Delete set-aside folders older than `keep_days` (the backups' retention: they are copies too)."""
    cutoff = time.time() - keep_days * 86400
    removed = []
    for folder in set_aside_dirs():
        if _set_aside_at(folder) < cutoff:
            shutil.rmtree(folder)
            removed.append(folder)
    return removed


def orphaned_files(known: set[str], older_than_seconds: int = 24 * 3600) -> list[Path]:
    """Files (and abandoned temporary files) no document row names, older than a day (an upload in flight
    writes its file before its row)."""
    root = documents_dir()
    if not root.is_dir():
        return []
    cutoff = time.time() - older_than_seconds
    found = []
    for path in root.glob("*/*"):
        if path.is_file() and path.name not in known and path.stat().st_mtime < cutoff:
            found.append(path)
    return found
