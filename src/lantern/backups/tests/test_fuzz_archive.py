"""Property-based fuzzing of the backup archive reader (a restore may be given any file).

Properties: what goes in comes out, in any number of chunks; any damage — cut short, a byte changed, bytes
inserted, a chunk length rewritten — is refused with ArchiveError and never another exception; and any bytes
after the magic line are refused the same way. (A damaged archive may still decrypt if the damage left it as
written, e.g. a byte replaced by itself: then the payload must come out unchanged.)

Pure Python. `make test` runs a few examples of each property; `make fuzz` many (see authz/tests/fuzzing.py).
"""

from __future__ import annotations

import io
import json
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.authz.tests.fuzzing import fuzz_settings
from lantern.backups import archive

KEY = bytes(range(32))


@contextmanager
def small_chunks(size: int) -> Iterator[None]:
    """Chunks of `size` bytes, so that small payloads span several chunks."""
    saved, archive.CHUNK = archive.CHUNK, size
    try:
        yield
    finally:
        archive.CHUNK = saved


def seal(payload: bytes, chunk: int) -> bytes:
    out = io.BytesIO()
    with small_chunks(chunk):
        archive.write_archive(io.BytesIO(payload), out, KEY, {"tables": {"t": 1}, "note": "ü"})
    return out.getvalue()


def unseal(data: bytes) -> bytes:
    out = io.BytesIO()
    archive.read_archive(io.BytesIO(data), KEY, out)
    return out.getvalue()


payloads = st.binary(max_size=300)
chunks = st.integers(1, 128)


@fuzz_settings(30)
@given(payloads, chunks)
def test_what_goes_in_comes_out(payload: bytes, chunk: int) -> None:
    assert unseal(seal(payload, chunk)) == payload


@fuzz_settings(80)
@given(payloads, chunks, st.data())
def test_a_damaged_archive_is_refused_with_archive_error(payload: bytes, chunk: int, data: Any) -> None:
    sealed = seal(payload, chunk)
    how = data.draw(st.sampled_from(["cut", "byte", "insert", "length"]))
    at = data.draw(st.integers(0, len(sealed)))
    if how == "cut":
        damaged = sealed[:at]
    elif how == "byte":
        damaged = sealed[:at] + bytes([data.draw(st.integers(0, 255))]) + sealed[at + 1 :]
    elif how == "insert":
        damaged = sealed[:at] + data.draw(st.binary(min_size=1, max_size=8)) + sealed[at:]
    else:  # a 4-byte length (of the manifest or a chunk) rewritten to any value
        damaged = sealed[:at] + struct.pack(">I", data.draw(st.integers(0, 64))) + sealed[at + 4 :]
    try:
        restored = unseal(damaged)
    except archive.ArchiveError:
        return
    assert damaged == sealed and restored == payload


@fuzz_settings(60)
@given(
    st.binary(max_size=80)
    | st.tuples(st.integers(0, 40), st.binary(max_size=60)).map(lambda t: struct.pack(">I", t[0]) + t[1])
    | st.builds(
        lambda value: (text := json.dumps(value).encode()) and struct.pack(">I", len(text)) + text,
        st.none()
        | st.integers()
        | st.text()
        | st.lists(st.integers())
        | st.dictionaries(st.text(), st.text()),
    )
)
def test_any_bytes_after_the_magic_line_are_refused(rest: bytes) -> None:
    with pytest.raises(archive.ArchiveError):
        unseal(archive.MAGIC + rest)


@pytest.mark.parametrize("manifest", [b"[]", b"1", b'"text"', b"null", b"9" * 5000])
def test_a_manifest_that_is_not_an_object_is_refused(manifest: bytes) -> None:
    """Found by fuzzing: a manifest of valid JSON but not an object raised AttributeError on `.get`."""
    with pytest.raises(archive.ArchiveError, match="manifest"):
        unseal(archive.MAGIC + struct.pack(">I", len(manifest)) + manifest)


def test_a_chunk_shorter_than_its_nonce_is_refused() -> None:
    """Found by fuzzing: a chunk under 12 bytes made AESGCM raise ValueError (nonce too short)."""
    sealed = seal(b"payload", 1024)
    (length,) = struct.unpack(">I", sealed[len(archive.MAGIC) : len(archive.MAGIC) + 4])
    first_chunk = len(archive.MAGIC) + 4 + length
    damaged = sealed[:first_chunk] + struct.pack(">I", 3) + b"abc"
    with pytest.raises(archive.ArchiveError, match="altered"):
        unseal(damaged)
