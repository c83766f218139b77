"""AES-256-GCM encryption of field values, bound to their column, with the key id in every token.

Token format: ``lc1:<key id>:<base64(nonce || ciphertext+tag)>``. The associated data is the column's
identity (``app_label.model.field``), so a ciphertext copied into another column does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .keyring import Keyring, KeyringError, load_keyring

PREFIX = "lc1"


class DecryptionError(Exception):
    """A stored value could not be authenticated: it was altered, or the key is wrong."""


# How often a running process looks at the keyring file's modification time: a rotation
# (`lantern keys rotate`) is picked up by every worker within this many seconds, without a restart.
RECHECK_SECONDS = 1.0


class _KeyringCache:
    """The process's keyring, read again when its file changes (checked at most every RECHECK_SECONDS)."""

    def __init__(self) -> None:
        self.keyring: Keyring | None = None
        self.signature: tuple[int, int, int] | None = None
        self.checked_at = 0.0
        self.lock = threading.Lock()

    def get(self, *, recheck: bool = False) -> Keyring:
        from django.conf import settings

        now = time.monotonic()
        if self.keyring is not None and not recheck and now - self.checked_at < RECHECK_SECONDS:
            return self.keyring
        with self.lock:
            signature = (
                _file_signature(settings.LANTERN_KEYRING_FILE) if not settings.LANTERN_KEYRING else None
            )
            if self.keyring is None or signature != self.signature:
                try:
                    self.keyring = load_keyring(settings.LANTERN_KEYRING, settings.LANTERN_KEYRING_FILE)
                except KeyringError:
                    if self.keyring is None:
                        raise
                    # Half-replaced or briefly missing: keep serving with the keyring we have.
                    return self.keyring
                self.signature = signature
            self.checked_at = now
            return self.keyring

    def clear(self) -> None:
        self.keyring, self.signature = None, None


def _file_signature(file_name: str | None) -> tuple[int, int, int] | None:
    try:
        info = os.stat(file_name) if file_name else None
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size) if info else None


_cache = _KeyringCache()


def active_keyring(*, recheck: bool = False) -> Keyring:
    """The process's keyring, from Django settings; read again when its file changes (a rotation)."""
    return _cache.get(recheck=recheck)


def reset_keyring_cache() -> None:
    _cache.clear()


def encrypt(plaintext: str, context: str, keyring: Keyring | None = None) -> str:
    ring = keyring or active_keyring()
    nonce = os.urandom(12)
    sealed = AESGCM(ring.key(ring.primary)).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{PREFIX}:{ring.primary}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def decrypt(token: str, context: str, keyring: Keyring | None = None) -> str:
    ring = keyring or active_keyring()
    try:
        prefix, key_id, payload = token.split(":", 2)
        if prefix != PREFIX:
            raise ValueError(prefix)
        raw = base64.b64decode(payload, validate=True)
    except ValueError as exc:
        raise DecryptionError(f"Not a Lantern ciphertext in {context}.") from exc
    if keyring is None and key_id not in ring.keys:
        ring = active_keyring(recheck=True)  # a rotation in another process wrote a new key a moment ago
    try:
        plain = AESGCM(ring.key(key_id)).decrypt(raw[:12], raw[12:], context.encode())
    except (InvalidTag, KeyringError) as exc:
        raise DecryptionError(f"The value in {context} cannot be authenticated: {exc}") from exc
    return plain.decode("utf-8")


def normalise_for_index(value: str) -> str:
    """Case-, accent- and spacing-insensitive form used for exact-match search."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def blind_index(value: str, context: str, keyring: Keyring | None = None) -> str:
    """Keyed HMAC-SHA256 of the normalised value: searchable for equality, reveals nothing without the key."""
    ring = keyring or active_keyring()
    message = context.encode() + b"\x00" + normalise_for_index(value).encode("utf-8")
    return hmac.new(ring.index_key, message, hashlib.sha256).hexdigest()
