"""Lantern's backup archive: a manifest and an encrypted payload in one file. Pure Python, no Django.

Layout: the magic line, the manifest (4-byte length + UTF-8 JSON, readable without the key: it holds table
names, row counts and checksums, never personal data), then the payload in chunks (4-byte length + 12-byte
nonce + AES-256-GCM ciphertext and tag). Each chunk's associated data binds it to the manifest's hash, its
position and whether it is the last one, so a changed manifest, a swapped, dropped or reordered chunk, or a
truncated file all fail to decrypt; the payload's SHA-256 in the manifest is checked again after decryption.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"LANTERN-BACKUP 1\n"
CHUNK = 1 << 20
KEY_BYTES = 32


class ArchiveError(Exception):
    """The archive cannot be read: wrong key, altered or truncated file, or not a Lantern backup."""


def create_key(path: Path) -> None:
    """Write a new random backup key (base64) readable by its owner only; never overwrite one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii") + "\n")


def load_key(path: Path) -> bytes:
    try:
        key = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except (OSError, ValueError) as exc:
        raise ArchiveError(f"the backup key {path} cannot be read: {exc}") from exc
    if len(key) != KEY_BYTES:
        raise ArchiveError(f"the backup key {path} is not a {KEY_BYTES * 8}-bit key")
    return key


def key_id(key: bytes) -> str:
    """A short public name of the key, so that a restore can say which key a backup needs."""
    return hashlib.sha256(b"lantern-backup-key-id" + key).hexdigest()[:16]


def _associated_data(manifest_hash: bytes, index: int, last: bool) -> bytes:
    return manifest_hash + struct.pack(">Q?", index, last)


def _chunks(source: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """(chunk, is_last) pairs; an empty source gives one empty last chunk."""
    current = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        yield current, not following
        if not following:
            return
        current = following


def write_archive(payload: BinaryIO, out: BinaryIO, key: bytes, manifest: dict[str, Any]) -> dict[str, Any]:
    """Encrypt `payload` into `out` after the manifest; the payload's size and SHA-256 are added to the
    manifest, which is returned. The caller writes `out` to a temporary name and renames it when done."""
    digest, size = hashlib.sha256(), 0
    start = payload.tell()
    for block in iter(lambda: payload.read(CHUNK), b""):
        digest.update(block)
        size += len(block)
    payload.seek(start)
    manifest = {**manifest, "format": 1, "key_id": key_id(key), "payload_sha256": digest.hexdigest()}
    manifest["payload_bytes"] = size
    header = json.dumps(manifest, sort_keys=True, ensure_ascii=False).encode("utf-8")
    manifest_hash = hashlib.sha256(header).digest()
    out.write(MAGIC + struct.pack(">I", len(header)) + header)
    cipher = AESGCM(key)
    for index, (block, last) in enumerate(_chunks(payload)):
        nonce = os.urandom(12)
        sealed = nonce + cipher.encrypt(nonce, block, _associated_data(manifest_hash, index, last))
        out.write(struct.pack(">I", len(sealed)) + sealed)
    return manifest


def read_manifest(source: BinaryIO) -> tuple[dict[str, Any], bytes]:
    """The manifest and its hash; `source` is left at the first chunk."""
    if source.read(len(MAGIC)) != MAGIC:
        raise ArchiveError("this is not a Lantern backup (or of a format this version cannot read)")
    (length,) = struct.unpack(">I", _exactly(source, 4))
    header = _exactly(source, length)
    try:
        manifest = json.loads(header.decode("utf-8"))
    except ValueError as exc:
        raise ArchiveError("the backup's manifest is damaged") from exc
    if type(manifest) is not dict:
        raise ArchiveError("the backup's manifest is damaged")
    return manifest, hashlib.sha256(header).digest()


def read_archive(source: BinaryIO, key: bytes, out: BinaryIO) -> dict[str, Any]:
    """Check and decrypt the payload into `out`; return the manifest. Raises ArchiveError on any fault."""
    manifest, manifest_hash = read_manifest(source)
    if manifest.get("key_id") != key_id(key):
        raise ArchiveError(
            f"this backup was made with another key (key id {manifest.get('key_id')}; yours is {key_id(key)})"
        )
    cipher, digest, index, last = AESGCM(key), hashlib.sha256(), 0, False
    while not last:
        head = source.read(4)
        if len(head) < 4:
            raise ArchiveError("the backup is truncated (its last part is missing)")
        (length,) = struct.unpack(">I", head)
        sealed = _exactly(source, length)
        for final in (False, True):  # the writer marked exactly one chunk, the last, as final
            try:
                block = cipher.decrypt(
                    sealed[:12], sealed[12:], _associated_data(manifest_hash, index, final)
                )
            except (InvalidTag, ValueError):  # ValueError: a chunk too short to hold its nonce
                continue
            last = final
            break
        else:
            raise ArchiveError(f"part {index + 1} of the backup was altered or does not belong to it")
        digest.update(block)
        out.write(block)
        index += 1
    if source.read(1):
        raise ArchiveError("the backup has data after its last part")
    if digest.hexdigest() != manifest.get("payload_sha256"):
        raise ArchiveError("the backup's checksum does not match its content")
    return manifest


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _exactly(source: BinaryIO, count: int) -> bytes:
    data = source.read(count)
    if len(data) != count:
        raise ArchiveError("the backup is truncated")
    return data
