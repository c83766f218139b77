"""The keyring: data keys (rotating, one primary) and the blind-index key.

Pure Python (no Django) so that `make run` can create a demo keyring before Django starts.

Format (JSON)::

    {"primary": "k1", "keys": {"k1": "<base64 32 bytes>", ...}, "index_key": "<base64 32 bytes>"}

The index key never rotates with the data keys: blind indexes stay valid across a data-key rotation.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


class KeyringError(Exception):
    """The keyring is missing or unusable; the message says how to fix it."""


@dataclass(frozen=True)
class Keyring:
    primary: str
    keys: dict[str, bytes]
    index_key: bytes

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(
                f"Data was encrypted with key '{key_id}', which is not in the keyring. "
                "Restore the keyring that holds it (keys are retired only after `lantern keys rotate`)."
            ) from None

    def to_json(self) -> str:
        return json.dumps(
            {
                "primary": self.primary,
                "keys": {kid: _b64(k) for kid, k in self.keys.items()},
                "index_key": _b64(self.index_key),
            },
            indent=2,
        )


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
    return Keyring(primary=kid, keys={kid: secrets.token_bytes(32)}, index_key=secrets.token_bytes(32))


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
    return Keyring(primary=primary, keys=keys, index_key=index_key)


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
    """`python -m lantern.crypto.keyring create PATH`: create a keyring unless one exists."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "create":
        print("usage: python -m lantern.crypto.keyring create PATH", file=sys.stderr)
        return 2
    path = Path(args[1])
    if path.exists():
        print(f"keyring exists, kept: {path}")
        return 0
    write_keyring(generate_keyring(), path)
    print(f"keyring created: {path} (keep it secret, back it up separately)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
