"""The pure parts: what a file is, from its content; and the chunked file encryption."""

from __future__ import annotations

import io

import pytest

from lantern.crypto.cipher import DecryptionError
from lantern.records import filecrypt, filetypes

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("a.pdf", b"%PDF-1.7\n...", "pdf"),
        ("a.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        ("a.jpeg", b"\xff\xd8\xff\xe1", "jpeg"),
        ("a.png", b"\x89PNG\r\n\x1a\n\x00", "png"),
        ("a.txt", "Привет, مرحبا".encode(), "text"),
    ],
)
def test_accepted_files_are_recognised_by_their_content(name: str, content: bytes, accepted: str) -> None:
    verdict = filetypes.check(name, content, max_bytes=MB)
    assert verdict.kind is not None and verdict.kind.id == accepted


@pytest.mark.parametrize(
    ("name", "content", "problem", "found"),
    [
        ("a.pdf", b"<html><body>hi</body></html>", "mismatch", "html"),
        ("a.pdf", b"  <svg xmlns='http://www.w3.org/2000/svg'/>", "mismatch", "html"),
        ("a.txt", b"<script>alert(1)</script>", "mismatch", "html"),
        ("a.pdf", b"PK\x03\x04rest", "mismatch", "zip"),
        ("a.jpg", b"MZ\x90\x00", "mismatch", "program"),
        ("a.txt", b"text with a \x00 byte", "mismatch", "unknown"),
        ("a.exe", b"MZ\x90\x00", "not_accepted", "program"),
        ("a.gif", b"GIF89a", "not_accepted", "image"),
        ("noextension", b"%PDF-1.4", "not_accepted", "pdf"),
        ("a.pdf", b"", "empty", ""),
        ("a.pdf", b"%PDF-" + b"0" * MB, "too_big", ""),
    ],
)
def test_other_files_are_refused_with_the_reason(name: str, content: bytes, problem: str, found: str) -> None:
    verdict = filetypes.check(name, content, max_bytes=MB)
    assert verdict.kind is None and verdict.problem == problem and verdict.found == found


def encrypted(plain: bytes, context: str = "ctx") -> tuple[bytes, bytes]:
    key, target = filecrypt.new_file_key(), io.BytesIO()
    filecrypt.encrypt_file(io.BytesIO(plain), target, key, context)
    return key, target.getvalue()


@pytest.mark.parametrize("size", [0, 1, filecrypt.CHUNK_SIZE, filecrypt.CHUNK_SIZE * 2 + 5])
def test_files_round_trip_in_chunks(size: int) -> None:
    plain = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    key, blob = encrypted(plain)
    # Short plaintexts can appear in random ciphertext by chance; from 16 bytes on they must not.
    assert plain[:64] not in blob or size < 16
    assert filecrypt.decrypt_bytes(blob, key, "ctx") == plain


def test_a_file_moved_under_another_document_does_not_decrypt() -> None:
    key, blob = encrypted(b"secret")
    with pytest.raises(DecryptionError):
        filecrypt.decrypt_bytes(blob, key, "other")


def test_a_truncated_file_does_not_decrypt() -> None:
    key, blob = encrypted(b"x" * (filecrypt.CHUNK_SIZE * 2))
    first_chunk_end = len(filecrypt.MAGIC) + 5 + 12 + filecrypt.CHUNK_SIZE + 16
    with pytest.raises(DecryptionError):
        filecrypt.decrypt_bytes(blob[:first_chunk_end], key, "ctx")


def test_a_changed_byte_is_detected() -> None:
    key, blob = encrypted(b"secret data")
    changed = bytearray(blob)
    changed[-3] ^= 0x40
    with pytest.raises(DecryptionError):
        filecrypt.decrypt_bytes(bytes(changed), key, "ctx")
