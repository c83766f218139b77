"""Property-based fuzzing of the files `lantern link` and `lantern pprl` read: person CSV files, key files and
encoding files.

Properties: a file is either read or refused with InputError naming the line (and the column where there is
one) — never another exception; what a spreadsheet writes (any column order, quoting, CRLF or LF, a byte-order
mark, unknown columns, any Unicode) reads back exactly; an encoding file written by `pprl encode` reads back
exactly; and on the command line bad input exits with status 2, a message naming the line, and no output file.

Pure Python (no Django). `make test` runs a few examples of each property; `make fuzz` many (see
authz/tests/fuzzing.py).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.authz.tests.fuzzing import fuzz_settings
from lantern.linkage import pprl
from lantern.linkage.cli import link_main, pprl_main
from lantern.linkage.records import (
    COLUMNS,
    TEXT_COLUMNS,
    InputError,
    decode_utf8,
    parse_date_of_birth,
    parse_people_csv,
)

KEY = b"a-secret-shared-by-partners-0123456789"
Generated = tuple[bytes, list[dict[str, str]], list[str]]  # file bytes, its records, its unknown columns

# Any code point but surrogates (files are UTF-8): right-to-left scripts, NUL, combining marks, emoji...
any_char = st.characters(exclude_categories=["Cs"])
any_text = st.text(any_char, max_size=30)
# Field values as a spreadsheet holds them: kept as given, but without surrounding white space (the reader
# strips it), and without line breaks in ids (refused: an id is one line of an output file).
values = any_text.map(str.strip)
ids = st.text(any_char.filter(lambda c: c not in "\r\n"), min_size=1, max_size=20).map(str.strip).filter(bool)
dates = st.one_of(
    st.just(""),
    st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)).map(lambda d: d.isoformat()),
    st.tuples(st.integers(1800, 2100), st.integers(1, 12)).map(lambda ym: f"{ym[0]:04d}-{ym[1]:02d}"),
    st.integers(1800, 2100).map(lambda y: f"{y:04d}"),
)


@st.composite
def person_files(draw: Any) -> Generated:
    """A valid person file as a spreadsheet could save it; the records; the unknown columns in it."""
    chosen = draw(st.lists(st.sampled_from(COLUMNS[1:]), unique=True))
    extra = draw(st.lists(values.filter(lambda name: name and name not in COLUMNS), unique=True, max_size=2))
    header = draw(st.permutations(["id", *chosen, *extra]))
    record_ids = draw(st.lists(ids, unique=True, max_size=8))
    records = []
    for record_id in record_ids:
        record = {"id": record_id}
        for name in [*chosen, *extra]:
            record[name] = draw(dates if name == "date_of_birth" else values)
        records.append(record)
    out = io.StringIO()
    writer = csv.writer(
        out,
        lineterminator="\r\n",  # what spreadsheets write; quoting keeps \r and \n inside values
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
    )
    writer.writerow(header)
    for record in records:
        writer.writerow([record[name] for name in header])
    text = out.getvalue()
    if draw(st.booleans()) and not any("\r" in value for record in records for value in record.values()):
        text = text.replace("\r\n", "\n")  # LF line ends (no CR inside a value to be changed with them)
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + text.encode("utf-8"), records, extra


@fuzz_settings(40)
@given(person_files())
def test_a_spreadsheet_file_reads_back_exactly(generated: Generated) -> None:
    data, records, extra = generated
    people = parse_people_csv(decode_utf8(data))
    assert people.ids == [record["id"] for record in records]
    for name in TEXT_COLUMNS:
        assert people.column(name) == [record.get(name, "") for record in records]
    for index, record in enumerate(records):
        got = (int(people.birth_year[index]), int(people.birth_month[index]), int(people.birth_day[index]))
        written = record.get("date_of_birth", "")
        assert got == (parse_date_of_birth(written) if written else (0, 0, 0))
    assert sorted(people.ignored_columns) == sorted(extra)


def _damaged(data: bytes, draw: Any) -> bytes:
    """Cut short, a byte changed, or a chunk inserted."""
    how = draw(st.sampled_from(["cut", "byte", "insert"]))
    at = draw(st.integers(0, len(data)))
    if how == "cut":
        return data[:at]
    if how == "byte":
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    chunk = draw(st.sampled_from([b'"', b",", b"\r", b"\n", b"\x00", b"\xff", b"\xef\xbb\xbf", b'","']))
    return data[:at] + chunk + data[at:]


@fuzz_settings(60)
@given(person_files(), st.data())
def test_a_damaged_file_is_read_or_refused_naming_the_line(generated: Generated, data: Any) -> None:
    damaged = _damaged(generated[0], data.draw)
    try:
        people = parse_people_csv(decode_utf8(damaged))
    except InputError as error:
        assert error.line is not None and error.line >= 1, error
        assert f"line {error.line}" in str(error)
        if error.column:  # a column without a name in the header (e.g. "a,b,") cannot be named
            assert f"column '{error.column}'" in str(error)
    else:
        assert len(set(people.ids)) == len(people.ids) and all(people.ids)
        assert not any("\r" in i or "\n" in i for i in people.ids)


@fuzz_settings(60)
@given(st.text(any_char, max_size=12) | dates)
def test_a_date_of_birth_is_read_or_refused_with_value_error(text: str) -> None:
    try:
        year, month, day = parse_date_of_birth(text)
    except ValueError as error:
        assert not isinstance(error, InputError) and str(error)
    else:
        assert 1800 <= year <= 2100 and 0 <= month <= 12 and 0 <= day <= 31
        assert not day or month


def test_an_id_with_a_line_break_is_refused() -> None:
    """Found by fuzzing: an id holding a carriage return was accepted, and csv.writer (LF line ends) writes a
    lone CR unquoted, so `pprl encode` wrote a file that `pprl link` then refused, and `link` a broken CSV."""
    with pytest.raises(InputError) as caught:
        parse_people_csv('id,given_name\nok,A\n"a\rb",B\n')
    assert (caught.value.line, caught.value.column) == (3, "id")
    assert "line break" in caught.value.message


# Encoding files (`pprl encode` writes them, `pprl link` reads them) ----------------------------------------


def _encoding_file(data: bytes) -> str:
    people = parse_people_csv(decode_utf8(data))
    out = io.StringIO()
    pprl.write_encodings(out, people.ids, pprl.encode_people(people, KEY), KEY)
    return out.getvalue()


@fuzz_settings(30)
@given(person_files())
def test_an_encoding_file_reads_back_exactly(generated: Generated) -> None:
    people = parse_people_csv(decode_utf8(generated[0]))
    encodings = pprl.encode_people(people, KEY)
    out = io.StringIO()
    pprl.write_encodings(out, people.ids, encodings, KEY)
    read = pprl.parse_encodings(out.getvalue())
    assert read.ids == people.ids
    assert np.array_equal(read.encodings, encodings)
    assert read.encodings.shape == (len(people), pprl.WORDS)
    if people.ids:
        assert (read.key_fingerprint, read.schema) == (pprl.key_fingerprint(KEY), pprl.schema_hash())


@fuzz_settings(60)
@given(person_files(), st.data())
def test_a_damaged_encoding_file_is_read_or_refused_naming_the_line(generated: Generated, data: Any) -> None:
    damaged = _damaged(_encoding_file(generated[0]).encode("utf-8"), data.draw)
    try:
        read = pprl.parse_encodings(decode_utf8(damaged))
    except InputError as error:
        assert error.line is not None and error.line >= 1, error
        assert f"line {error.line}" in str(error)
    else:
        assert read.encodings.shape == (len(read.ids), pprl.WORDS)
        assert len(set(read.ids)) == len(read.ids)


@fuzz_settings(60)
@given(
    st.text(any_char, max_size=200)
    | st.lists(st.lists(any_text, max_size=5), max_size=5).map(
        lambda rows: "\n".join(",".join(row) for row in [list(pprl.ENCODING_COLUMNS), *rows])
    )
)
def test_any_text_as_an_encoding_file_is_read_or_refused(text: str) -> None:
    try:
        read = pprl.parse_encodings(text)
    except InputError as error:
        assert error.line is not None and error.line >= 1, error
    else:
        assert read.encodings.shape == (len(read.ids), pprl.WORDS)


# The command line: status 2, a message naming the line, and nothing written ---------------------------------


def _outputs(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@fuzz_settings(25)
@given(person_files(), st.data())
def test_bad_input_on_the_command_line_exits_2_and_writes_nothing(
    tmp_path_factory: Any, generated: Generated, data: Any
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    out = folder / "out"
    out.mkdir()
    damaged = _damaged(generated[0], data.draw)
    people, key = folder / "people.csv", folder / "partners.key"
    people.write_bytes(damaged)
    key.write_bytes(KEY)
    try:
        parse_people_csv(decode_utf8(damaged))
        expected_error = False
    except InputError:
        expected_error = True
    status = pprl_main(["encode", str(people), "--key-file", str(key), "--out", str(out / "people.clk.csv")])
    assert status == (2 if expected_error else 0)
    assert _outputs(out) == ([] if expected_error else ["people.clk.csv"])
    if not expected_error:
        status = link_main([str(people), "--out", str(out / "links.csv"), "--clusters", str(out / "c.csv")])
        assert status == 0
        assert _outputs(out) == ["c.csv", "links.csv", "people.clk.csv"]
        clk = out / "people.clk.csv"
        assert pprl_main(["link", str(clk), str(clk), "--out", str(out / "pairs.csv")]) == 0
        rows = list(csv.reader(io.StringIO((out / "pairs.csv").read_text(encoding="utf-8"), newline="")))
        assert rows[0] == ["left_id", "right_id", "match_probability"]
        assert all(len(row) == 3 for row in rows)


def test_an_encoding_file_with_a_line_break_in_an_id_is_refused() -> None:
    """The same for a hand-made encoding file: `pprl link` would write the id unquoted into its output."""
    good = _encoding_file(b"id,given_name\nok,A\n").splitlines()
    text = "\n".join([good[0], good[1], good[1].replace("ok,", '"o\rk",', 1)]) + "\n"
    with pytest.raises(InputError) as caught:
        pprl.parse_encodings(text)
    assert (caught.value.line, caught.value.column) == (3, "id")


@fuzz_settings(60)
@given(
    st.text(any_char, max_size=12) | st.floats().map(str) | st.sampled_from(["nan", "inf", "-0", "1e-400"])
)
def test_a_threshold_on_the_command_line_is_a_probability_or_refused(text: str) -> None:
    from argparse import ArgumentTypeError

    from lantern.linkage.cli import _probability

    try:
        value = _probability(text)
    except ArgumentTypeError as error:
        assert str(error)
    else:
        assert 0.0 <= value <= 1.0


@fuzz_settings(40)
@given(st.binary(max_size=40))
def test_a_key_file_is_read_or_refused(tmp_path_factory: Any, data: bytes) -> None:
    path = tmp_path_factory.mktemp("key") / "partners.key"
    path.write_bytes(data)
    try:
        secret = pprl.read_key(path)
    except InputError as error:
        assert str(path) in str(error) and len(data.rstrip(b"\r\n")) < pprl.MIN_KEY_BYTES
    else:
        assert secret == data.rstrip(b"\r\n") and len(secret) >= pprl.MIN_KEY_BYTES


@fuzz_settings(60)
@given(st.text(any_char, max_size=14) | dates)
def test_any_date_of_birth_is_kept_within_the_ranges_the_comparisons_hold(text: str) -> None:
    from lantern.linkage.schema import read_birth_date

    birth = read_birth_date(text.strip())
    assert 0 <= birth.year <= 9999 and 0 <= birth.month <= 99 and 0 <= birth.day <= 99
    try:
        parse_date_of_birth(text.strip())
    except ValueError:
        assert birth.problem or not text.strip()
    else:
        assert not birth.problem
