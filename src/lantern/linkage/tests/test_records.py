"""Reading partners' CSV files: what is accepted, and errors that name the line and the column."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.linkage.records import COLUMNS, InputError, decode_utf8, parse_date_of_birth, parse_people_csv


def test_all_columns_but_id_are_optional_and_may_come_in_any_order():
    people = parse_people_csv("family_name,id\nHassan,a\n,b\n")
    assert people.ids == ["a", "b"]
    assert people.column("family_name") == ["Hassan", ""]
    assert people.column("given_name") == ["", ""]
    assert people.birth_year.tolist() == [0, 0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-05-12", (1990, 5, 12)),
        ("1990-05", (1990, 5, 0)),
        ("1990", (1990, 0, 0)),
        ("2000-02-29", (2000, 2, 29)),
    ],
)
def test_dates_of_birth_may_be_partial(text, expected):
    assert parse_date_of_birth(text) == expected


@pytest.mark.parametrize(
    "text", ["12/05/1990", "1990-13", "1990-02-30", "1799-01-01", "90", "1990-5-12", "soon"]
)
def test_unreadable_dates_of_birth_are_refused(text):
    with pytest.raises(ValueError):
        parse_date_of_birth(text)


def test_unknown_columns_are_reported_and_ignored():
    people = parse_people_csv("id,nickname,given_name\na,Abu Ali,Ahmed\n")
    assert people.ignored_columns == ["nickname"]
    assert people.column("given_name") == ["Ahmed"]


def test_blank_lines_are_skipped_and_a_byte_order_mark_is_allowed():
    people = parse_people_csv(decode_utf8("\ufeffid,given_name\r\na,Ali\r\n\r\nb,Omar\r\n".encode()))
    assert people.ids == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("given_name\nAli\n", 1, "id"),
        ("id,id\na,b\n", 1, "id"),
        ("id,given_name\na,Ali\nb,Omar\na,Hassan\n", 4, "id"),
        ("id,given_name\n,Ali\n", 2, "id"),
        ("id,given_name,family_name\na,Ali\n", 2, "family_name"),
        ('id,given_name\na,"Ali\n', 2, None),
    ],
)
def test_errors_name_the_line_and_column(text, line, column):
    with pytest.raises(InputError) as raised:
        parse_people_csv(text, source="people.csv")
    assert raised.value.line == line
    assert raised.value.column == column
    assert str(raised.value).startswith(f"people.csv, line {line}")


@pytest.mark.parametrize(
    ("text", "line"),
    [("id,date_of_birth\na,1990-01-01\nb,31/12/1990\n", 3), ("id,date_of_birth\na,1945-04-93\n", 2)],
)
def test_strict_reading_refuses_a_date_that_does_not_parse_naming_line_and_column(text, line):
    with pytest.raises(InputError) as raised:
        parse_people_csv(text, source="people.csv", strict=True)
    assert (raised.value.line, raised.value.column) == (line, "date_of_birth")
    assert "YYYY-MM-DD" in str(raised.value) or "no day 93" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1945-04-93", (1945, 4, 93)),  # kept as written: compared digit by digit
        ("1950-13-02", (1950, 13, 2)),
        ("19450423", (1945, 4, 23)),
        ("1945/04/23", (1945, 4, 23)),
        ("31/12/1990", (1990, 12, 31)),  # day first when the year is last
        ("about 1960", (1960, 0, 0)),  # reduced to the part that parses
        ("soon", (0, 0, 0)),
    ],
)
def test_a_date_that_does_not_parse_is_kept_as_far_as_it_reads_and_listed(text, expected):
    people = parse_people_csv(f"id,date_of_birth\na,1990-01-01\nb,{text}\n")
    got = (int(people.birth_year[1]), int(people.birth_month[1]), int(people.birth_day[1]))
    assert got == expected
    assert people.kept_as_text == {"date_of_birth": [3]}


def test_a_file_that_is_not_utf8_is_refused_at_the_offending_line_and_column():
    data = b"id,given_name\na,Ali\nb,Ren" + "é".encode("latin-1") + b"\n"
    with pytest.raises(InputError) as raised:
        decode_utf8(data, source="people.csv")
    assert (raised.value.line, raised.value.column) == (3, "given_name")
    assert "UTF-8" in str(raised.value)


def test_an_empty_file_is_refused():
    with pytest.raises(InputError, match="empty"):
        parse_people_csv("")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_either_parses_or_raises_input_error_with_a_line(text):
    try:
        people = parse_people_csv(text)
    except InputError as error:
        assert error.line is None or error.line >= 1
    else:
        assert len(set(people.ids)) == len(people.ids)


@given(
    st.lists(
        st.lists(st.text(alphabet=st.sampled_from('ab1-,"\n\r é۱'), max_size=12), min_size=1, max_size=5),
        max_size=6,
    ),
    st.permutations(COLUMNS),
)
def test_rows_under_a_real_header_either_parse_or_raise_input_error(rows, header):
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows([list(header), *rows])
    try:
        parse_people_csv(out.getvalue())
    except InputError as error:
        assert error.line is not None and error.line >= 1


@given(st.binary(max_size=200))
def test_any_bytes_either_decode_or_raise_input_error_with_a_line(data):
    try:
        decode_utf8(data)
    except InputError as error:
        assert error.line is not None and error.line >= 1
