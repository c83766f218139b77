"""Back up and restore a whole Lantern: the database and the encrypted document files, in one encrypted,
checksummed archive with a manifest; after a restore, erasures made since the backup are replayed.

What is NOT in a backup, on purpose: the keyring (field and file keys — keep it apart, or a stolen backup is
readable), the backup key itself and the erasure ledger file (which must outlive every backup).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import lantern
from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.crypto.cipher import active_keyring
from lantern.crypto.rotation import key_ids_in_use
from lantern.records.ownership import give_to_service_user
from lantern.records.storage import SET_ASIDE_PREFIX, documents_dir

from . import archive, database, ledger

SUFFIX = ".lbk"
SYSTEM_ACTOR = "lantern backup"


def backup_dir() -> Path:
    return Path(settings.LANTERN_BACKUP_DIR or Path(settings.VAR_DIR) / "backups")


def backup_key_path() -> Path:
    return Path(settings.LANTERN_BACKUP_KEY_FILE or Path(settings.VAR_DIR) / "backup.key")


def backup_key() -> bytes:
    path = backup_key_path()
    if not path.exists():
        raise archive.ArchiveError(
            f"no backup key at {path}: create one with `lantern backup --create-key` and keep a copy of it "
            "apart from the backups (without it no backup can be restored)"
        )
    return archive.load_key(path)


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    seconds: float
    pruned: list[Path] = field(default_factory=list)


def applied_migrations() -> dict[str, str]:
    """The latest applied migration of each app (a restore refuses a backup from a newer Lantern)."""
    latest: dict[str, str] = {}
    for app, name in (
        MigrationRecorder(connection).migration_qs.order_by("applied", "id").values_list("app", "name")
    ):
        latest[app] = name
    return dict(sorted(latest.items()))


def make_backup(*, out_dir: Path | None = None, keep_days: int | None = None) -> BackupResult:
    """Write `lantern-<UTC time>.lbk` (and its .sha256) to `out_dir`; then prune backups older than
    `keep_days` (default: LANTERN_BACKUP_KEEP_DAYS)."""
    started = time.perf_counter()
    key = backup_key()
    out_dir = out_dir or backup_dir()
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    ledger.sync_file_with_database()
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = out_dir / f"lantern-{stamp}{SUFFIX}"
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".backup-") as work:
        work_dir = Path(work)
        dump_path = work_dir / database.dump_name()
        manifest: dict[str, Any] = {
            "created_at": timezone.now().isoformat(),
            "lantern_version": lantern.__version__,
            "database": database.vendor(),
            "migrations": applied_migrations(),
            # The keyring is not in the backup: a restore needs these data keys in the keyring in use.
            "data_key_ids": sorted(key_ids_in_use()),
        }
        manifest["tables"] = database.dump(dump_path)
        payload = work_dir / "payload.tar"
        documents = 0
        with tarfile.open(payload, "w") as tar:
            tar.add(dump_path, arcname=dump_path.name)
            if documents_dir().exists():
                for path in sorted(documents_dir().rglob("*")):
                    if path.is_file() and not path.name.startswith("."):
                        tar.add(path, arcname=f"documents/{path.relative_to(documents_dir())}")
                        documents += 1
        manifest["documents"] = documents
        partial = out_dir / f".{target.name}.part"
        with payload.open("rb") as source, partial.open("wb") as out:
            manifest = archive.write_archive(source, out, key, manifest)
        partial.chmod(0o600)
        partial.rename(target)
    checksum = archive.file_sha256(target)
    target.with_name(target.name + ".sha256").write_text(f"{checksum}  {target.name}\n", encoding="utf-8")
    for written in (target, target.with_name(target.name + ".sha256")):
        give_to_service_user(written)
    record(
        AuditRecord.Action.SYSTEM,
        object_type="backup",
        object_id=target.name,
        actor_label=SYSTEM_ACTOR,
        detail={"operation": "backup", "bytes": target.stat().st_size, "documents": documents},
    )
    pruned = prune_backups(out_dir, keep_days if keep_days is not None else settings.LANTERN_BACKUP_KEEP_DAYS)
    return BackupResult(target, manifest, time.perf_counter() - started, pruned)


def prune_backups(out_dir: Path, keep_days: int) -> list[Path]:
    """Delete backups older than `keep_days` (never the newest): erased people must not linger in copies."""
    backups = sorted(out_dir.glob(f"lantern-*{SUFFIX}"))
    cutoff = time.time() - keep_days * 86400
    removed = []
    for path in backups[:-1]:
        if path.stat().st_mtime < cutoff:
            path.unlink()
            path.with_name(path.name + ".sha256").unlink(missing_ok=True)
            removed.append(path)
    return removed


def backups_needing_keys(key_ids: set[str], keep_days: int | None = None) -> dict[Path, list[str]]:
    """The kept backups (made within `keep_days`, default LANTERN_BACKUP_KEEP_DAYS) that need any of
    `key_ids` to be restored, with the ones each needs. A backup from before Lantern recorded its data keys
    needs, as far as anyone can tell, all of them."""
    keep_days = settings.LANTERN_BACKUP_KEEP_DAYS if keep_days is None else keep_days
    cutoff = time.time() - keep_days * 86400
    needing: dict[Path, list[str]] = {}
    folder = backup_dir()
    for path in sorted(folder.glob(f"lantern-*{SUFFIX}")) if folder.is_dir() else []:
        if path.stat().st_mtime < cutoff:
            continue
        try:
            with path.open("rb") as source:
                manifest, _ = archive.read_manifest(source)
        except (OSError, archive.ArchiveError):
            continue
        used = set(manifest.get("data_key_ids", key_ids))
        if used & key_ids:
            needing[path] = sorted(used & key_ids)
    return needing


def missing_data_keys(manifest: dict[str, Any]) -> list[str]:
    """The data keys a backup's values are encrypted with that the keyring in use does not hold."""
    held = active_keyring(recheck=True).keys
    return sorted(kid for kid in manifest.get("data_key_ids", []) if kid not in held)


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    replayed: list[int]
    seconds: float
    documents_set_aside: Path | None


def check_backup(path: Path) -> dict[str, Any]:
    """Verify the archive's checksum file (if present) and read its manifest."""
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.exists():
        expected = sidecar.read_text(encoding="utf-8").split()[0]
        if archive.file_sha256(path) != expected:
            raise archive.ArchiveError(
                f"{path.name} does not match its checksum file: it was changed or damaged"
            )
    with path.open("rb") as source:
        manifest, _ = archive.read_manifest(source)
    return manifest


def restore_backup(path: Path) -> RestoreResult:
    """Replace the database and documents with the backup's, bring the schema up to date, check every table's
    row count against the manifest, then replay the erasure ledger file."""
    started = time.perf_counter()
    key = backup_key()
    manifest = check_backup(path)
    if manifest.get("database") != database.vendor():
        raise archive.ArchiveError(
            f"this backup is of a {manifest.get('database')} database; this Lantern uses {database.vendor()}"
        )
    known = {(m.app_label, m.name) for m in _migration_graph_nodes()}
    newer = [
        f"{app}.{name}" for app, name in manifest.get("migrations", {}).items() if (app, name) not in known
    ]
    if newer:
        raise archive.ArchiveError(
            f"this backup comes from a newer Lantern (unknown migrations: {newer[:3]})"
        )
    missing = missing_data_keys(manifest)
    if missing:
        raise archive.ArchiveError(
            f"this backup's data is encrypted with keys the keyring does not hold: {', '.join(missing)}. "
            "Put back the keyring that holds them (an offline copy from before the rotation); "
            "nothing was changed"
        )
    with tempfile.TemporaryDirectory(prefix="lantern-restore-") as work:
        work_dir = Path(work)
        payload = work_dir / "payload.tar"
        with path.open("rb") as source, payload.open("wb") as out:
            archive.read_archive(source, key, out)
        extracted = work_dir / "content"
        with tarfile.open(payload) as tar:
            _extract_safely(tar, extracted)
        database.restore(extracted / database.dump_name())
        counts = database.row_counts()
        differing = {
            table: (count, counts.get(table))
            for table, count in manifest["tables"].items()
            if counts.get(table) != count
        }
        if differing:
            raise archive.ArchiveError(f"the restored tables do not match the manifest: {differing}")
        set_aside = _replace_documents(extracted / "documents")
    call_command("migrate", "--no-input", verbosity=0)
    replayed = ledger.replay_erasures()
    record(
        AuditRecord.Action.SYSTEM,
        object_type="backup",
        object_id=path.name,
        actor_label=SYSTEM_ACTOR,
        detail={"operation": "restore", "erasures_replayed": len(replayed)},
    )
    return RestoreResult(manifest, replayed, time.perf_counter() - started, set_aside)


def _extract_safely(tar: tarfile.TarFile, target: Path) -> None:
    """Extract only plain files and folders inside `target`. Python's "data" filter where it exists; Debian
    12's Python 3.11.2 predates it, so the same rule is applied by hand there."""
    if hasattr(tarfile, "data_filter"):
        tar.extractall(target, filter="data")
        return
    root = target.resolve()
    for member in tar.getmembers():
        destination = (target / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not destination.is_relative_to(root):
            raise archive.ArchiveError(f"the backup holds an unexpected entry: {member.name!r}")
    tar.extractall(target)  # noqa: S202  (every member checked above)  # nosec B202


def _replace_documents(restored: Path) -> Path | None:
    """Put the backup's documents in place; current files are moved aside (kept, not deleted)."""
    current = documents_dir()
    set_aside = None
    if current.exists() and any(current.iterdir()):
        set_aside = current.with_name(f"{SET_ASIDE_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}")
        current.rename(set_aside)
    elif current.exists():
        current.rmdir()
    current.parent.mkdir(parents=True, exist_ok=True)
    if restored.exists():
        shutil.move(str(restored), str(current))
    else:
        current.mkdir(mode=0o700)
    _documents_modes(current)
    give_to_service_user(current)
    return set_aside


def _documents_modes(root: Path) -> None:
    """Folders 0700 and files 0600, as the service writes them (a tar extraction keeps other modes)."""
    root.chmod(0o700)
    for path in root.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def _migration_graph_nodes() -> list[Any]:
    from django.db.migrations.loader import MigrationLoader

    return list(MigrationLoader(None, ignore_no_migrations=True).disk_migrations.values())
