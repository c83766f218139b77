"""The keyring: data keys (rotating, one primary), the blind-index key and the audit keys.

Pure Python (no Django) so that `make run` can create a demo keyring before Django starts.

Format (JSON)::

    {"primary": "k1", "keys": {"k1": "<base64 32 bytes>", ...}, "index_key": "<base64 32 bytes>",
     "audit_primary": "a1", "audit_keys": {"a1": "<base64 32 bytes>", ...}}

The index key never rotates with the data keys: blind indexes stay valid across a data-key rotation.
The audit keys (HMAC-SHA-256 of the audit chain and of its checkpoints, `lantern.audit`) are separate from the
data keys: a rotation adds a new primary audit key and keeps the old ones, which verify what they sealed.
A keyring written before audit keys existed gets one from `create` (which never replaces a key).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path


class KeyringError(Exception):
    """The keyring is missing or unusable; the message says how to fix it."""


@dataclass(frozen=True)
class Keyring:
    primary: str
    keys: dict[str, bytes]
    index_key: bytes
    audit_primary: str = ""
    audit_keys: dict[str, bytes] = field(default_factory=dict)

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(
                f"Data was encrypted with key '{key_id}', which is not in the keyring. "
                "Restore the keyring that holds it (keys are retired only after `lantern keys rotate`)."
            ) from None

    def audit_key(self, key_id: str | None = None) -> bytes:
        """The audit key `key_id` (the primary one by default); KeyringError when the keyring lacks it."""
        key_id = key_id or self.audit_primary
        try:
            return self.audit_keys[key_id]
        except KeyError:
            raise KeyringError(
                f"The audit trail needs audit key '{key_id}', which is not in the keyring. "
                "Add an audit key with `python -m lantern.crypto.keyring create PATH` (it keeps every "
                "existing key), or restore the keyring that holds it."
            ) from None

    def with_new_audit_key(self) -> Keyring:
        """A copy with a new primary audit key; the old ones stay, to verify what they sealed."""
        kid = "a" + new_key_id()[1:]
        return replace(self, audit_primary=kid, audit_keys={**self.audit_keys, kid: secrets.token_bytes(32)})

    def to_json(self) -> str:
        data: dict[str, object] = {
            "primary": self.primary,
            "keys": {kid: _b64(k) for kid, k in self.keys.items()},
            "index_key": _b64(self.index_key),
        }
        if self.audit_keys:
            data["audit_primary"] = self.audit_primary
            data["audit_keys"] = {kid: _b64(k) for kid, k in self.audit_keys.items()}
        return json.dumps(data, indent=2)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _key_from_b64(value: str, where: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (ValueError, TypeError) as exc:
        raise KeyringError(f"{where} is not valid base64.") from exc
    if len(raw) != 32:
        raise KeyringError(f"{where} must be 32 bytes (256 bits), found {len(raw)}.")
    return raw


def new_key_id() -> str:
    return "k" + datetime.now(tz=UTC).strftime("%Y%m%d%H%M%S") + secrets.token_hex(2)


def generate_keyring() -> Keyring:
    kid = new_key_id()
    ring = Keyring(primary=kid, keys={kid: secrets.token_bytes(32)}, index_key=secrets.token_bytes(32))
    return ring.with_new_audit_key()


def generate_keyring_json() -> str:
    return generate_keyring().to_json()


def parse_keyring(text: str, source: str) -> Keyring:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise KeyringError(f"The keyring in {source} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict) or not data["keys"]:
        raise KeyringError(f"The keyring in {source} needs a non-empty 'keys' object.")
    keys = {kid: _key_from_b64(v, f"{source}: key '{kid}'") for kid, v in data["keys"].items()}
    primary = data.get("primary")
    if primary not in keys:
        raise KeyringError(f"The keyring in {source} names primary key '{primary}', which it does not hold.")
    index_key = _key_from_b64(data.get("index_key", ""), f"{source}: index_key")
    audit_keys = {
        kid: _key_from_b64(v, f"{source}: audit key '{kid}'")
        for kid, v in (data.get("audit_keys") or {}).items()
    }
    audit_primary = data.get("audit_primary", "")
    if audit_keys and audit_primary not in audit_keys:
        raise KeyringError(
            f"The keyring in {source} names audit key '{audit_primary}', which it does not hold."
        )
    return Keyring(primary, keys, index_key, audit_primary if audit_keys else "", audit_keys)


MISSING_KEY_MESSAGE = (
    "Lantern will not start without its encryption keyring: personal data is never stored in plaintext. "
    "Set LANTERN_KEYRING (JSON), LANTERN_KEYRING_FILE or LANTERN_KEYRING_FILE's default var/keyring.json. "
    "For a demo, `make run` creates one; for production, create one with "
    "`python -m lantern.crypto.keyring create PATH` and keep it outside the database backups."
)


def load_keyring(inline: str | None, file_name: str | None) -> Keyring:
    """Load the keyring from inline JSON, else from a file; raise KeyringError with a fix if neither works."""
    if inline:
        return parse_keyring(inline, "LANTERN_KEYRING")
    if file_name:
        path = Path(file_name)
        if path.exists():
            return parse_keyring(path.read_text(encoding="utf-8"), str(path))
    raise KeyringError(MISSING_KEY_MESSAGE)


def write_keyring(keyring: Keyring, path: Path) -> None:
    """Write atomically with owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(keyring.to_json())
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    """`python -m lantern.crypto.keyring create PATH`: create a keyring unless one exists; give an existing
    keyring an audit key if it has none (no key is ever replaced)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "create":
        print("usage: python -m lantern.crypto.keyring create PATH", file=sys.stderr)
        return 2
    path = Path(args[1])
    if path.exists():
        try:
            existing = parse_keyring(path.read_text(encoding="utf-8"), str(path))
        except KeyringError as exc:
            print(exc, file=sys.stderr)
            return 1
        if existing.audit_keys:
            print(f"keyring exists, kept: {path}")
            return 0
        write_keyring(existing.with_new_audit_key(), path)
        print(f"keyring exists, kept; audit key added: {path}")
        return 0
    write_keyring(generate_keyring(), path)
    print(f"keyring created: {path} (keep it secret, back it up separately)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
