"""The archive format: what goes in comes out, and any change, a wrong key or a truncation is refused."""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path

import pytest

from lantern.backups import archive

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def seal(payload: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    archive.write_archive(io.BytesIO(payload), out, key, {"tables": {"t": 1}})
    return out.getvalue()


def unseal(data: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    archive.read_archive(io.BytesIO(data), key, out)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, archive.CHUNK - 1, archive.CHUNK, 2 * archive.CHUNK + 17])
def test_what_goes_in_comes_out(size: int) -> None:
    payload = os.urandom(size)
    data = seal(payload)
    assert unseal(data) == payload
    if size >= 32:  # (a shorter random string could turn up in the ciphertext by chance)
        assert payload[:64] not in data  # the payload is not stored in clear


def test_the_manifest_is_readable_without_the_key_and_states_the_checksum() -> None:
    manifest, _ = archive.read_manifest(io.BytesIO(seal(b"hello")))
    assert manifest["tables"] == {"t": 1}
    assert manifest["payload_bytes"] == 5
    assert manifest["key_id"] == archive.key_id(KEY) != archive.key_id(OTHER_KEY)


def test_another_key_is_refused_with_its_key_id() -> None:
    with pytest.raises(archive.ArchiveError, match="another key"):
        unseal(seal(b"secret"), OTHER_KEY)


def test_a_changed_manifest_is_refused() -> None:
    data = seal(b"secret" * 10).replace(b'"t": 1', b'"t": 9')
    with pytest.raises(archive.ArchiveError, match="altered"):
        unseal(data)


def test_a_flipped_bit_in_the_payload_is_refused() -> None:
    data = bytearray(seal(b"secret" * 1000))
    data[-40] ^= 1
    with pytest.raises(archive.ArchiveError, match="altered"):
        unseal(bytes(data))


def _parts(data: bytes) -> tuple[bytes, list[bytes]]:
    """(magic + manifest, [each chunk with its length prefix])"""
    start = len(archive.MAGIC)
    (length,) = struct.unpack(">I", data[start : start + 4])
    pos = start + 4 + length
    head, chunks = data[:pos], []
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append(data[pos : pos + 4 + size])
        pos += 4 + size
    return head, chunks


def test_truncation_and_reordering_are_refused() -> None:
    head, chunks = _parts(seal(os.urandom(3 * archive.CHUNK)))
    assert len(chunks) == 3
    with pytest.raises(archive.ArchiveError, match="truncated"):
        unseal(head + chunks[0] + chunks[1])  # the last part dropped: no chunk says it is the last
    with pytest.raises(archive.ArchiveError, match="altered"):
        unseal(head + chunks[1] + chunks[0] + chunks[2])
    with pytest.raises(archive.ArchiveError, match="after its last part"):
        unseal(head + b"".join(chunks) + chunks[2])


def test_not_a_backup_is_refused() -> None:
    with pytest.raises(archive.ArchiveError, match="not a Lantern backup"):
        unseal(b"PK\x03\x04 a zip file")


def test_keys_are_created_once_private_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "backup.key"
    archive.create_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(archive.load_key(path)) == 32
    with pytest.raises(FileExistsError):
        archive.create_key(path)
    path.write_text("c2hvcnQ=\n")
    with pytest.raises(archive.ArchiveError, match="256-bit"):
        archive.load_key(path)
