"""AES-256-GCM encryption of field values, bound to their column, with the key id in every token.

Token format: ``lc1:<key id>:<base64(nonce || ciphertext+tag)>``. The associated data is the column's
identity (``app_label.model.field``), so a ciphertext copied into another column does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .keyring import Keyring, KeyringError, load_keyring

PREFIX = "lc1"


class DecryptionError(Exception):
    """A stored value could not be authenticated: it was altered, or the key is wrong."""


@cache
def active_keyring() -> Keyring:
    """The process's keyring, from Django settings (read once; `reset_keyring_cache` after rotation)."""
    from django.conf import settings

    return load_keyring(settings.LANTERN_KEYRING, settings.LANTERN_KEYRING_FILE)


def reset_keyring_cache() -> None:
    active_keyring.cache_clear()


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
