"""Property-based fuzzing of the checks on uploaded documents: what a file is (magic bytes) and whether its
name and content agree.

Properties, for any name and any bytes: the check never raises; a file is accepted only as one of the four
allowed types, and only when its name's extension claims that very type; a file whose name claims a type its
bytes are not (an HTML page, a program or random bytes named ".pdf"...) is refused; markup is never accepted,
whatever its name; and the words shown to the person uploading agree with the check.

`make test` runs a few examples of each property; `make fuzz` many (see authz/tests/fuzzing.py).
"""

from __future__ import annotations

import codecs

from hypothesis import assume, given
from hypothesis import strategies as st

from lantern.authz.tests.fuzzing import fuzz_settings
from lantern.records import filetypes
from lantern.records.services import max_upload_bytes, upload_problem

LIMIT = 4096
SIGNATURES = {
    filetypes.PDF: b"%PDF-",
    filetypes.JPEG: b"\xff\xd8\xff",
    filetypes.PNG: b"\x89PNG\r\n\x1a\n",
}
EXTENSIONS = [*filetypes.BY_EXTENSION, ".PDF", ".Jpg", ".html", ".svg", ".exe", ".txt.exe", ""]

# Names as browsers send them: any Unicode (right-to-left marks too), often ending in a known extension.
names = st.tuples(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=20), st.sampled_from(EXTENSIONS)
).map("".join)
prefixes = st.sampled_from(
    [
        *SIGNATURES.values(),
        *(signature for signature, _ in filetypes.REFUSED_SIGNATURES),
        b"<!DOCTYPE html>",
        b"  <script>",
        b"<svg ",
        b"<?xml ",
        codecs.BOM_UTF8,
        codecs.BOM_UTF8 + b"<html>",
        b"\xff\xfe",
        b"",
    ]
)
# Bytes that look like something, then anything: truncated headers, text in any script, NUL, binary noise.
contents = st.tuples(
    prefixes,
    st.binary(max_size=64)
    | st.text(st.characters(exclude_categories=["Cs"]), max_size=64).map(lambda text: text.encode("utf-8")),
).map(b"".join)


@fuzz_settings(150)
@given(names, contents)
def test_a_file_is_accepted_only_as_an_allowed_type_its_name_claims(name: str, content: bytes) -> None:
    verdict = filetypes.check(name, content, max_bytes=LIMIT)
    claimed = filetypes.BY_EXTENSION.get(filetypes.extension_of(name))
    if verdict.kind is None:
        assert verdict.problem in {"empty", "too_big", "not_accepted", "mismatch"}
        assert verdict.problem != "mismatch" or claimed is not None
    else:
        assert verdict.kind in filetypes.ACCEPTED
        assert verdict.kind == claimed
        assert verdict.problem == ""
        assert content.startswith(SIGNATURES.get(verdict.kind, b""))
        if verdict.kind == filetypes.TEXT:
            text = content.removeprefix(codecs.BOM_UTF8).decode("utf-8")
            assert not text.lstrip(" \t\r\n\f").startswith("<")
            assert "\x00" not in text


@fuzz_settings(100)
@given(
    st.sampled_from(sorted(SIGNATURES, key=lambda kind: kind.id)),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
    contents,
)
def test_a_name_claiming_a_type_with_other_bytes_is_refused(
    claimed: filetypes.FileType, stem: str, content: bytes
) -> None:
    assume(not content.startswith(SIGNATURES[claimed]))
    for extension in claimed.extensions:
        verdict = filetypes.check(f"a{stem}{extension.upper()}", content, max_bytes=LIMIT)
        assert verdict.kind is None
        assert verdict.problem in ({"empty"} if not content else {"mismatch"})


@fuzz_settings(60)
@given(
    names, st.binary(max_size=16), st.sampled_from([b"<", b" <", b"\t<", b"\r\n<", codecs.BOM_UTF8 + b"<"])
)
def test_markup_is_never_accepted(name: str, rest: bytes, start: bytes) -> None:
    assert filetypes.check(name, start + rest, max_bytes=LIMIT).kind is None


@fuzz_settings(60)
@given(
    names, contents | st.just(b"") | st.integers(1, 3).map(lambda extra: b"a" * (max_upload_bytes() + extra))
)
def test_the_words_for_the_uploader_agree_with_the_check(name: str, content: bytes) -> None:
    problem = upload_problem(name, content)
    verdict = filetypes.check(name, content, max_bytes=max_upload_bytes())
    assert (problem is None) == (verdict.kind is not None)
    if problem is not None:
        assert problem.strip()
