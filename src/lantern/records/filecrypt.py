"""Encrypting files at rest: AES-256-GCM in authenticated chunks, under a random data key per file.

The data key is kept in the database in an `EncryptedTextField` (so it is itself encrypted with the keyring,
and `lantern keys rotate` re-encrypts it: files never need rewriting). The associated data binds every chunk
to the file's identity (`context`), its position, and whether it is the last one, so that a file cannot be
swapped with another, reordered or truncated without the decryption failing.

File format: ``MAGIC`` then chunks of ``[4-byte length][1-byte last flag][12-byte nonce][ciphertext + tag]``
(the flag is authenticated too).
"""

from __future__ import annotations

import base64
import io
import os
import struct
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lantern.crypto.cipher import DecryptionError

MAGIC = b"LTDOC1\n"
CHUNK_SIZE = 64 * 1024
NONCE_SIZE = 12
TAG_SIZE = 16
_HEADER = struct.Struct(">I?")


def new_file_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def key_to_text(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def key_from_text(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise DecryptionError("The file key is not valid.") from exc
    if len(key) != 32:
        raise DecryptionError("The file key is not valid.")
    return key


def _aad(context: str, index: int, final: bool) -> bytes:
    return context.encode() + b"\x00" + struct.pack(">Q?", index, final)


def _chunks(source: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    """(chunk, is_last) pairs; an empty source gives one empty last chunk."""
    current = source.read(size)
    while True:
        following = source.read(size) if len(current) == size else b""
        last = not following
        yield current, last
        if last:
            return
        current = following


def encrypt_file(source: BinaryIO, target: BinaryIO, key: bytes, context: str) -> int:
    """Encrypt `source` into `target`; returns the number of plaintext bytes."""
    aead = AESGCM(key)
    target.write(MAGIC)
    total = 0
    for index, (chunk, last) in enumerate(_chunks(source, CHUNK_SIZE)):
        nonce = os.urandom(NONCE_SIZE)
        sealed = aead.encrypt(nonce, chunk, _aad(context, index, last))
        target.write(_HEADER.pack(len(sealed), last))
        target.write(nonce)
        target.write(sealed)
        total += len(chunk)
    return total


def decrypt_chunks(source: BinaryIO, key: bytes, context: str) -> Iterator[bytes]:
    """Yield the plaintext chunk by chunk, each authenticated before it is yielded."""
    if source.read(len(MAGIC)) != MAGIC:
        raise DecryptionError(f"Not a Lantern encrypted file ({context}).")
    aead = AESGCM(key)
    index = 0
    while True:
        header = source.read(_HEADER.size)
        if len(header) != _HEADER.size:
            raise DecryptionError(f"The encrypted file {context} is truncated.")
        length, last = _HEADER.unpack(header)
        if length < TAG_SIZE or length > CHUNK_SIZE + TAG_SIZE:
            raise DecryptionError(f"The encrypted file {context} is damaged.")
        nonce = source.read(NONCE_SIZE)
        sealed = source.read(length)
        if len(nonce) != NONCE_SIZE or len(sealed) != length:
            raise DecryptionError(f"The encrypted file {context} is truncated.")
        try:
            plain = aead.decrypt(nonce, sealed, _aad(context, index, last))
        except InvalidTag:
            raise DecryptionError(f"The encrypted file {context} cannot be authenticated.") from None
        yield plain
        if last:
            if source.read(1):
                raise DecryptionError(f"The encrypted file {context} has data after its end.")
            return
        index += 1


def decrypt_bytes(blob: Iterable[bytes] | bytes, key: bytes, context: str) -> bytes:
    """The whole plaintext of an encrypted file held in memory (tests, small files)."""
    data = blob if isinstance(blob, bytes) else b"".join(blob)
    return b"".join(decrypt_chunks(io.BytesIO(data), key, context))
