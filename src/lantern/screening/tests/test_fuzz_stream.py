"""Property-based fuzzing of `lantern screen` (JSON Lines in, one JSON line out per request).

Whatever the input — any Unicode, bytes that are not UTF-8, JSON of any shape, huge numbers, deep nesting —
the command never raises: each non-blank line gives exactly one output line, which is JSON holding either a
result or an error with a documented code and a message that starts with the line number; the exit status is
0 or 1 and says whether any line failed. A well-formed request is screened, and its id comes back unchanged.

No Django. `make test` runs a few examples of each property; `make fuzz` many (see authz/tests/fuzzing.py).
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.authz.tests.fuzzing import fuzz_settings
from lantern.screening.catalogue import load_catalogue
from lantern.screening.engine import OUTCOMES
from lantern.screening.stream import main, screen_lines

CATALOGUE = load_catalogue()
INSTRUMENTS = sorted(CATALOGUE.instruments)
ALL_INDICATORS = sorted(
    {i for instrument in CATALOGUE.instruments.values() for i in instrument.indicator_ids}
)
ERROR_CODES = {"malformed_json", "invalid_request", "unknown_instrument", "unknown_indicator"}

# Text as clients send it: any code point but surrogates, so right-to-left scripts, NUL, line and paragraph
# separators, combining marks and emoji all appear.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | any_text
    | st.sampled_from(INSTRUMENTS + ALL_INDICATORS)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4),
    max_leaves=12,
)


@st.composite
def requests(draw: Any) -> dict[str, Any]:
    """A request object: each field right, wrong, or missing; sometimes extra fields."""
    request: dict[str, Any] = draw(st.dictionaries(any_text, json_values, max_size=2))
    instrument = draw(st.sampled_from(INSTRUMENTS))
    choices = {
        "id": any_text | json_values,
        "instrument": st.sampled_from(INSTRUMENTS) | any_text | json_values,
        "observed": st.lists(
            st.sampled_from(sorted(CATALOGUE.instruments[instrument].indicator_ids))
            | st.sampled_from(ALL_INDICATORS)
            | any_text
            | json_values,
            max_size=6,
        )
        | json_values,
    }
    for name, values in choices.items():
        if draw(st.integers(0, 9)):  # mostly present
            request[name] = draw(values)
    return request


def _line_of(value: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([json.dumps(value), json.dumps(value, ensure_ascii=False)])


request_lines = requests().flatmap(_line_of)
garbage_lines = st.one_of(
    any_text,
    json_values.flatmap(_line_of),
    # Requests cut short, numbers too long for Python's int(), nesting deeper than the parser allows.
    request_lines.flatmap(lambda line: st.integers(0, len(line)).map(lambda cut: line[:cut])),
    st.integers(4000, 6000).map(
        lambda digits: '{"id": "r", "instrument": "x", "observed": [%s]}' % ("7" * digits)
    ),
    st.integers(4000, 6000).map(lambda digits: "9" * digits),
    st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(1, 3000).map(lambda depth: '{"a":' * depth + "1" + "}" * depth),
)
lines = st.lists(request_lines | garbage_lines | st.sampled_from(["", " ", "\t\r"]), max_size=8)


def _screen(input_lines: list[str]) -> tuple[list[str], int]:
    out = io.StringIO()
    status = screen_lines(input_lines, out, CATALOGUE)
    return _json_lines(out.getvalue()), status


def _json_lines(text: str) -> list[str]:
    """Lines end at "\\n" only: JSON strings may hold U+0085, U+2028... where str.splitlines splits."""
    assert text == "" or text.endswith("\n")
    return text.split("\n")[:-1]


def _check_output(input_lines: list[str], output: list[str], status: int) -> None:
    numbers = [n for n, line in enumerate(input_lines, 1) if line and not line.isspace()]
    assert len(output) == len(numbers)
    failed = False
    for number, raw in zip(numbers, output, strict=True):
        answer = json.loads(raw)
        assert answer["id"] is None or isinstance(answer["id"], str)
        if "error" in answer:
            failed = True
            assert set(answer) == {"id", "error"}
            assert answer["error"]["code"] in ERROR_CODES
            assert answer["error"]["message"].startswith(f"line {number}: ")
        else:
            assert answer["outcome"] in OUTCOMES
            assert answer["instrument"] in CATALOGUE.instruments
            assert set(answer["dimensions"]) == set(CATALOGUE.dimensions)
    assert status == (1 if failed else 0)


@fuzz_settings(60)
@given(lines)
def test_any_lines_give_one_answer_each_and_never_raise(input_lines: list[str]) -> None:
    # Lines as `main` gives them: one physical line each, with its line ending.
    input_lines = [line.replace("\n", " ").replace("\r", " ") + "\n" for line in input_lines]
    output, status = _screen(input_lines)
    _check_output(input_lines, output, status)


@fuzz_settings(40)
@given(
    request_id=any_text,
    instrument=st.sampled_from(INSTRUMENTS),
    data=st.data(),
    extra=st.dictionaries(any_text.filter(lambda k: k not in {"id", "instrument", "observed"}), json_values),
)
def test_a_well_formed_request_is_screened_and_keeps_its_id(
    request_id: str, instrument: str, data: Any, extra: dict[str, Any]
) -> None:
    observed = data.draw(st.lists(st.sampled_from(sorted(CATALOGUE.instruments[instrument].indicator_ids))))
    line = json.dumps({**extra, "id": request_id, "instrument": instrument, "observed": observed})
    output, status = _screen([line])
    answer = json.loads(output[0])
    assert status == 0, answer
    assert answer["id"] == request_id
    assert answer["instrument"] == instrument
    assert answer["trafficking"] == (answer["outcome"] == "presumed-victim")


@fuzz_settings(40)
@given(
    st.lists(
        st.binary(max_size=60) | request_lines.map(lambda line: line.encode()) | st.just(b"\xff\xfe{}"),
        max_size=6,
    ).map(lambda chunks: b"\n".join(chunks))
)
def test_the_command_reads_any_bytes(data: bytes) -> None:
    """`lantern screen` on stdin bytes (not UTF-8, CR, NUL...): exit 0 or 1, valid UTF-8 JSON lines out."""
    stdin = io.TextIOWrapper(io.BytesIO(data))
    stdout = io.TextIOWrapper(io.BytesIO(), write_through=True)
    saved = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = stdin, stdout
    try:
        status = main([])
    finally:
        sys.stdin, sys.stdout = saved
    input_lines = list(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape"))
    output = _json_lines(stdout.buffer.getvalue().decode("utf-8"))
    _check_output(input_lines, output, status)


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "r1", "instrument": "ilo-adult-labour", "observed": [%s]}' % ("7" * 5000),
        "9" * 4301,
    ],
)
def test_a_number_too_long_to_read_is_an_error_line_not_a_crash(line: str) -> None:
    """Found by fuzzing: json.loads raised ValueError (not JSONDecodeError) on integers over 4300 digits."""
    output, status = _screen([line])
    assert status == 1
    assert json.loads(output[0]) == {
        "id": None,
        "error": {
            "code": "malformed_json",
            "message": "line 1: not valid JSON: a number has too many digits",
        },
    }
