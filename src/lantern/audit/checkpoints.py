"""Signed checkpoints of the audit chain, kept outside the database (as Certificate Transparency signs its
tree heads).

`lantern audit checkpoint` appends one line to `checkpoints.jsonl` in `LANTERN_AUDIT_CHECKPOINT_DIR`
(default `var/audit-checkpoints/`): the chain's length (position), the hash of its last record, the time, the
audit key id and an HMAC-SHA-256 signature under that audit key. The file is opened for appending only and
never rewritten; copies kept off the server (see docs/runbook.md) make a rewritten file detectable too.
`verify.verify_chain` checks the chain against every checkpoint: a chain shorter than a checkpoint, or a
record whose hash differs from the one a checkpoint recorded, fails.

After a restore from backup the chain is legitimately shorter than the newest checkpoints:
`lantern audit checkpoint --after-restore REASON` appends a "restore" entry, after which the checkpoints
beyond the restored chain's length are reported as lost with the restore instead of failing verification.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

SIGNATURE_CONTEXT = b"lantern-audit-checkpoint-v1\n"
FILE_NAME = "checkpoints.jsonl"
CHECKPOINT, RESTORE = "checkpoint", "restore"


class CheckpointError(Exception):
    """The checkpoint file is unreadable or a checkpoint's signature does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    kind: str  # CHECKPOINT, or RESTORE (the chain was restored from a backup to this position)
    position: int  # how many records the chain held
    head_hash: str  # the hash of the record at `position` (the genesis hash for an empty chain)
    at: str  # ISO 8601, UTC
    key_id: str  # the audit key that signed it
    reason: str = ""
    signature: str = ""

    def payload(self) -> bytes:
        data = {k: v for k, v in asdict(self).items() if k != "signature"}
        return SIGNATURE_CONTEXT + json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    def sign(self, key: bytes) -> str:
        return hmac.new(key, self.payload(), hashlib.sha256).hexdigest()


def checkpoint_dir() -> Path:
    configured = getattr(settings, "LANTERN_AUDIT_CHECKPOINT_DIR", "")
    return Path(configured or Path(settings.VAR_DIR) / "audit-checkpoints")


def checkpoint_file() -> Path:
    return checkpoint_dir() / FILE_NAME


def write_checkpoint(
    position: int, head_hash: str, *, kind: str = CHECKPOINT, reason: str = ""
) -> Checkpoint:
    """Sign and append one checkpoint (flushed to disk before returning)."""
    from lantern.crypto.cipher import active_keyring

    keyring = active_keyring()
    unsigned = Checkpoint(
        kind=kind,
        position=position,
        head_hash=head_hash,
        at=timezone.now().isoformat(timespec="seconds"),
        key_id=keyring.audit_primary,
        reason=reason,
    )
    checkpoint = Checkpoint(**{**asdict(unsigned), "signature": unsigned.sign(keyring.audit_key())})
    path = checkpoint_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(json.dumps(asdict(checkpoint), sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return checkpoint


def to_syslog(checkpoint: Checkpoint) -> None:
    """Also send the checkpoint to the local syslog (forwarded off the server where syslog is)."""
    import syslog

    syslog.openlog("lantern-audit", 0, syslog.LOG_AUTHPRIV)
    syslog.syslog(syslog.LOG_NOTICE, "checkpoint " + json.dumps(asdict(checkpoint), sort_keys=True))


def read_checkpoints() -> list[Checkpoint]:
    """Every checkpoint of the file, oldest first, each signature verified (CheckpointError otherwise)."""
    from lantern.crypto.cipher import active_keyring
    from lantern.crypto.keyring import KeyringError

    path = checkpoint_file()
    if not path.exists():
        return []
    keyring = active_keyring()
    found = []
    with path.open(encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                checkpoint = Checkpoint(**json.loads(line))
                key = keyring.audit_key(checkpoint.key_id)
            except (ValueError, TypeError) as exc:
                raise CheckpointError(f"{path} line {number} is not a checkpoint: {exc}") from exc
            except KeyringError as exc:
                raise CheckpointError(f"{path} line {number}: {exc}") from exc
            if not hmac.compare_digest(checkpoint.sign(key), checkpoint.signature):
                raise CheckpointError(
                    f"{path} line {number}: the signature does not verify (forged or altered)"
                )
            found.append(checkpoint)
    return found


def binding_checkpoints(checkpoints: list[Checkpoint]) -> tuple[dict[int, Checkpoint], list[Checkpoint]]:
    """The checkpoints the chain must match, by position (the newest per position), and those lost with a
    restore (beyond the length the chain was restored to)."""
    binding: dict[int, Checkpoint] = {}
    lost: list[Checkpoint] = []
    for checkpoint in checkpoints:
        if checkpoint.kind == RESTORE:
            lost += [c for p, c in binding.items() if p > checkpoint.position]
            binding = {p: c for p, c in binding.items() if p <= checkpoint.position}
        binding[checkpoint.position] = checkpoint
    return binding, lost
