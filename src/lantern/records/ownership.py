"""Files Lantern writes belong to the service user, even when a command was run by hand as root.

`lantern-admin` runs commands as the service user; this is the second line of defence for someone who ran
`lantern restore` or `lantern retention erase` as root directly: a root-owned document folder or erasure
ledger file made every download answer 500 and every nightly backup fail.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def service_owner() -> tuple[int, int] | None:
    """(uid, gid) of the service's var directory when this process runs as root and they differ."""
    if os.geteuid() != 0:
        return None
    try:
        info = Path(settings.VAR_DIR).stat()
    except OSError:
        return None
    return None if info.st_uid == 0 else (info.st_uid, info.st_gid)


def give_to_service_user(path: Path) -> None:
    """chown `path` (and everything under it) to the owner of VAR_DIR when running as root; else nothing."""
    owner = service_owner()
    if owner is None or not path.exists():
        return
    os.chown(path, *owner, follow_symlinks=False)
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            for name in dirs + files:
                os.chown(Path(root, name), *owner, follow_symlinks=False)
