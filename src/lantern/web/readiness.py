"""Readiness: may this instance take traffic? `/readyz` for load balancers and deploy scripts.

`/healthz` answers "is the database reachable and the schema current" (probing the database with `database`
below); readiness adds what a request needs beyond that: the keyring decrypts, the document store is writable,
static files are collected (in production), and the audit trail is not falling behind. Each check is cheap;
the answer names the failing ones.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connection

UPGRADE_FLAG = "upgrade-in-progress"
# Unsealed audit records beyond this mean sealing has stopped (each request seals what it wrote).
MAX_UNSEALED_AUDIT_RECORDS = 10_000


def database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return None


# Which data keys the stored values use changes only with a rotation: scanned again every few minutes,
# and at once before a missing key is reported.
DATA_KEYS_RESCAN_SECONDS = 300
_data_keys: dict[str, object] = {"at": 0.0, "ids": frozenset()}


def _data_key_ids(*, fresh: bool = False) -> frozenset[str]:
    from lantern.crypto.rotation import key_ids_in_use

    if fresh or time.monotonic() - float(_data_keys["at"]) > DATA_KEYS_RESCAN_SECONDS:  # type: ignore[arg-type]
        _data_keys.update(at=time.monotonic(), ids=frozenset(key_ids_in_use()))
    return _data_keys["ids"]  # type: ignore[return-value]


def keyring() -> str | None:
    from lantern.crypto.cipher import active_keyring, decrypt, encrypt

    probe = secrets.token_hex(8)
    if decrypt(encrypt(probe, "readiness"), "readiness") != probe:
        return "the keyring does not decrypt what it encrypts"
    held = active_keyring(recheck=True).keys.keys()
    missing = _data_key_ids() - held and _data_key_ids(fresh=True) - held
    if missing:
        return f"stored data is encrypted with keys the keyring does not hold: {', '.join(sorted(missing))}"
    return None


def document_store() -> str | None:
    from lantern.records.storage import documents_dir

    root = documents_dir()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    probe = root / f".ready-{secrets.token_hex(4)}"
    try:
        probe.write_bytes(b"")
    finally:
        probe.unlink(missing_ok=True)
    return None


def static_files() -> str | None:
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and not settings.DEBUG and not Path(settings.STATIC_ROOT, manifest).exists():
        return "static files are not collected: run `lantern collectstatic`"
    return None


def audit_sealing() -> str | None:
    from lantern.audit.models import AuditRecord

    unsealed = AuditRecord.objects.filter(hash="").count()
    if unsealed > MAX_UNSEALED_AUDIT_RECORDS:
        return f"{unsealed} audit records wait to be sealed: run `lantern audit verify`"
    return None


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": database,
    "keyring": keyring,
    "document_store": document_store,
    "static_files": static_files,
    "audit_sealing": audit_sealing,
}


def upgrade_in_progress() -> bool:
    """`deploy/upgrade.sh` holds this flag file (VAR_DIR/upgrade-in-progress) until its `/readyz` check."""
    return (Path(settings.VAR_DIR) / UPGRADE_FLAG).exists()


def run_checks() -> dict[str, str]:
    """Each check's name → "ok" or what is wrong."""
    results = {}
    for name, check in CHECKS.items():
        try:
            problem = check()
        except (DatabaseError, OSError, ValueError) as exc:
            problem = f"{exc.__class__.__name__}: {str(exc)[:200]}"
        except Exception as exc:  # noqa: BLE001  (a readiness probe reports, it does not crash)
            problem = f"{exc.__class__.__name__}"
        results[name] = problem or "ok"
    if os.environ.get("LANTERN_MAINTENANCE"):
        results["maintenance"] = "LANTERN_MAINTENANCE is set: this instance takes no traffic"
    return results
