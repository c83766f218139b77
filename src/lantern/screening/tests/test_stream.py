"""`lantern screen`: the JSON Lines contract (golden lines), errors, ordering, exit status, the real command.

No Django: the command must run, and these tests must pass, without it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from lantern import cli
from lantern.screening.catalogue import DEFAULT_PATH, load_catalogue
from lantern.screening.stream import screen_lines

VALID_INSTRUMENTS = "ilo-adult-labour, ilo-child-labour, ilo-adult-sexual, ilo-child-sexual"
EXAMPLE = (
    'a request looks like {"id": "r1", "instrument": "ilo-adult-labour", "observed": ["dr.nature_of_job"]}'
)


def screen(*lines: str) -> tuple[list[dict[str, Any]], int]:
    out = io.StringIO()
    status = screen_lines(lines, out)
    return [json.loads(line) for line in out.getvalue().splitlines()], status


def request(request_id: str, instrument: str, observed: list[str]) -> str:
    return json.dumps({"id": request_id, "instrument": instrument, "observed": observed})


# Golden lines -----------------------------------------------------------------------------------------------

GOLDEN_REQUEST = (
    '{"id": "golden-1", "instrument": "ilo-child-sexual", "observed": '
    '["dr.education", "dr.wages", "ex.hazardous_work", "ex.low_no_pay", "cd.forced_lie", "dr.wages"]}'
)
GOLDEN_RESULT = {
    "id": "golden-1",
    "instrument": "ilo-child-sexual",
    "dimensions": {
        "deceptive_recruitment": True,
        "coercive_recruitment": False,
        "recruitment_abuse_of_vulnerability": False,
        "exploitative_conditions": True,
        "coercion_at_destination": False,
        "abuse_of_vulnerability_at_destination": False,
    },
    "trafficking": True,
    "outcome": "presumed-victim",
    "explanation": {
        "dimensions": {
            "deceptive_recruitment": {
                "positive": True,
                "observed": {"strong": ["dr.education"], "medium": ["dr.wages"], "weak": []},
                "rule_met": {"strong": 1, "medium_or_weak": 1},
                "missing": None,
                "missing_counts": None,
            },
            "coercive_recruitment": {
                "positive": False,
                "observed": {"strong": [], "medium": [], "weak": []},
                "rule_met": None,
                "missing": "needs 2 more strong indicators (has none)",
                "missing_counts": {"strong": 2},
            },
            "recruitment_abuse_of_vulnerability": {
                "positive": False,
                "observed": {"strong": [], "medium": [], "weak": []},
                "rule_met": None,
                "missing": "needs 1 more strong indicator and 1 more medium or weak indicator (has none)",
                "missing_counts": {"strong": 1, "medium_or_weak": 1},
            },
            "exploitative_conditions": {
                "positive": True,
                "observed": {"strong": ["ex.hazardous_work"], "medium": ["ex.low_no_pay"], "weak": []},
                "rule_met": {"strong": 1, "medium_or_weak": 1},
                "missing": None,
                "missing_counts": None,
            },
            "coercion_at_destination": {
                "positive": False,
                "observed": {"strong": [], "medium": ["cd.forced_lie"], "weak": []},
                "rule_met": None,
                "missing": "needs 1 more strong indicator (has 1 medium)",
                "missing_counts": {"strong": 1},
            },
            "abuse_of_vulnerability_at_destination": {
                "positive": False,
                "observed": {"strong": [], "medium": [], "weak": []},
                "rule_met": None,
                "missing": "needs 3 more medium indicators (has none)",
                "missing_counts": {"medium": 3},
            },
        },
        "verdict": {
            "rule": "child_trafficking_requires_all",
            "population": "child",
            "met": True,
            "requirements": [
                {
                    "any_of": [
                        "deceptive_recruitment",
                        "coercive_recruitment",
                        "recruitment_abuse_of_vulnerability",
                    ],
                    "met": True,
                    "positive": ["deceptive_recruitment"],
                },
                {"any_of": ["exploitative_conditions"], "met": True, "positive": ["exploitative_conditions"]},
            ],
            "summary": "2 of 2 requirements met",
        },
        "unverified_strengths": ["dr.education"],
    },
}


def test_a_good_line_gives_the_golden_result_byte_for_byte() -> None:
    out = io.StringIO()
    assert screen_lines([GOLDEN_REQUEST + "\n"], out) == 0
    assert out.getvalue() == json.dumps(GOLDEN_RESULT, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_the_readme_example_needs_further_assessment() -> None:
    (result,), status = screen(request("r1", "ilo-adult-labour", ["dr.nature_of_job", "ex.excessive_hours"]))
    assert status == 0
    assert list(result) == ["id", "instrument", "dimensions", "trafficking", "outcome", "explanation"]
    assert result["outcome"] == "further-assessment"
    assert result["trafficking"] is False
    assert not any(result["dimensions"].values())


def unknown_indicator_message(line: int, named: str, instrument: str) -> str:
    return (
        f"line {line}: not indicators of {instrument}: {named}; the valid ids are listed under "
        f"instruments/{instrument} in {DEFAULT_PATH}"
    )


BAD_LINES = [
    pytest.param(
        '{"id": "r1", "instrument": "ilo-adult-labour", "observed": [}',
        None,
        "malformed_json",
        "line 1: not valid JSON: Expecting value at column 61",
        id="malformed json",
    ),
    pytest.param(
        '["r1", "ilo-adult-labour", []]',
        None,
        "invalid_request",
        f"line 1: expected a JSON object, not an array; {EXAMPLE}",
        id="not an object",
    ),
    pytest.param(
        '{"instrument": "ilo-adult-labour", "observed": []}',
        None,
        "invalid_request",
        f"line 1: missing field id; {EXAMPLE}",
        id="no id",
    ),
    pytest.param(
        '{"id": 7, "instrument": "ilo-adult-labour", "observed": []}',
        None,
        "invalid_request",
        f"line 1: id must be a string, not a number; {EXAMPLE}",
        id="id not a string",
    ),
    pytest.param(
        '{"id": "r1", "observed": []}',
        "r1",
        "invalid_request",
        f"line 1: missing field instrument; valid instruments: {VALID_INSTRUMENTS}",
        id="no instrument",
    ),
    pytest.param(
        '{"id": "r1", "instrument": ["ilo-adult-labour"], "observed": []}',
        "r1",
        "invalid_request",
        f"line 1: instrument must be a string, not an array; valid instruments: {VALID_INSTRUMENTS}",
        id="instrument not a string",
    ),
    pytest.param(
        '{"id": "r1", "instrument": "ilo-adult-labour"}',
        "r1",
        "invalid_request",
        f"line 1: missing field observed; {EXAMPLE}",
        id="no observed",
    ),
    pytest.param(
        '{"id": "r1", "instrument": "ilo-adult-labour", "observed": "dr.nature_of_job"}',
        "r1",
        "invalid_request",
        f"line 1: observed must be a list of indicator ids, not a string; {EXAMPLE}",
        id="observed not a list",
    ),
    pytest.param(
        '{"id": "r1", "instrument": "ilo-adult-labour", "observed": ["dr.wages", null]}',
        "r1",
        "invalid_request",
        "line 1: observed[1] must be an indicator id (a string), not null",
        id="observed holds a non-string",
    ),
    pytest.param(
        '{"id": "r1", "instrument": "ilo-adult-begging", "observed": []}',
        "r1",
        "unknown_instrument",
        f'line 1: unknown instrument "ilo-adult-begging"; valid instruments: {VALID_INSTRUMENTS}',
        id="unknown instrument",
    ),
    pytest.param(
        '{"id": "r1", "instrument": "ilo-child-labour", "observed": ["dr.wages", "ex.no_social_protection"]}',
        "r1",
        "unknown_indicator",
        unknown_indicator_message(
            1,
            '"ex.no_social_protection" (an indicator of ilo-adult-labour, ilo-adult-sexual)',
            "ilo-child-labour",
        ),
        id="indicator of another instrument",
    ),
    pytest.param(
        '{"id": "r1", "instrument": "ilo-adult-labour", "observed": ["zz.unknown", "dr.wages", "aa.x"]}',
        "r1",
        "unknown_indicator",
        unknown_indicator_message(1, '"aa.x", "zz.unknown"', "ilo-adult-labour"),
        id="unknown indicators",
    ),
]


@pytest.mark.parametrize(("line", "request_id", "code", "message"), BAD_LINES)
def test_a_bad_line_gives_a_golden_error(line: str, request_id: str | None, code: str, message: str) -> None:
    (result,), status = screen(line)
    assert status == 1
    assert result == {"id": request_id, "error": {"code": code, "message": message}}


def test_a_lone_surrogate_in_an_id_is_refused_without_echoing_it() -> None:
    (result,), _status = screen('{"id": "\\ud800", "instrument": "ilo-adult-labour", "observed": []}')
    assert result["id"] is None
    assert result["error"]["code"] == "invalid_request"


def test_deeply_nested_json_is_malformed_not_a_crash() -> None:
    (result,), _status = screen("[" * 100_000)
    assert result["error"]["code"] == "malformed_json"


# Ordering, exit status, blank lines, duplicates, unicode ----------------------------------------------------


def test_results_come_in_request_order_and_a_bad_line_does_not_stop_the_rest() -> None:
    lines = []
    for n in range(60):
        if n % 7 == 3:
            lines.append(request(f"r{n}", "ilo-adult-begging", []))
        elif n % 11 == 5:
            lines.append("{not json")
        else:
            lines.append(request(f"r{n}", "ilo-child-labour", ["dr.nature_of_job", "dr.education"]))
    results, status = screen(*lines)
    assert status == 1
    assert len(results) == 60
    for n, result in enumerate(results):
        if n % 7 == 3:
            assert result["id"] == f"r{n}" and result["error"]["code"] == "unknown_instrument"
        elif n % 11 == 5:
            assert result["id"] is None and result["error"]["message"].startswith(f"line {n + 1}: ")
        else:
            assert result["id"] == f"r{n}" and result["dimensions"]["deceptive_recruitment"] is True


def test_the_exit_status_is_zero_when_every_line_was_screened() -> None:
    _results, status = screen(*(request(f"r{n}", "ilo-adult-sexual", []) for n in range(5)))
    assert status == 0


def test_blank_lines_are_skipped_silently_and_still_count_as_lines() -> None:
    results, status = screen(
        "\n", "   \n", "\r\n", request("r1", "ilo-adult-labour", []) + "\n", "\n", "nope\n"
    )
    assert status == 1
    assert [r["id"] for r in results] == ["r1", None]
    assert results[0]["outcome"] == "no-indicators"
    assert results[1]["error"]["message"].startswith("line 6: ")


def test_a_repeated_indicator_is_fine_and_counts_once() -> None:
    (twice, once), status = screen(
        request("twice", "ilo-adult-labour", ["dr.nature_of_job", "dr.nature_of_job"]),
        request("once", "ilo-adult-labour", ["dr.nature_of_job"]),
    )
    assert status == 0
    assert {k: v for k, v in twice.items() if k != "id"} == {k: v for k, v in once.items() if k != "id"}


def test_extra_fields_are_ignored() -> None:
    line = '{"id": "r1", "instrument": "ilo-adult-labour", "observed": [], "site": "Lesvos"}'
    (result,), status = screen(line)
    assert status == 0 and "site" not in result


@pytest.mark.parametrize(
    "request_id", ["Αθήνα-7", "مرحبا ١٢", "ትግርኛ", "👩‍👧 family", "tab\tand\nnewline", ""]
)
def test_unicode_ids_round_trip_unescaped(request_id: str) -> None:
    out = io.StringIO()
    screen_lines([request(request_id, "ilo-adult-labour", [])], out)
    text = out.getvalue()
    assert json.loads(text)["id"] == request_id
    assert '"id":' + json.dumps(request_id, ensure_ascii=False) in text  # raw UTF-8, not \u escapes
    assert text.count("\n") == 1  # one result, one line, even for an id with a newline in it


def test_lines_are_read_and_written_one_at_a_time() -> None:
    out = io.StringIO()

    def requests() -> Iterator[str]:
        for n in range(5):
            # Line n is only read after the result of line n - 1 was written: nothing is held back.
            assert out.getvalue().count("\n") == n
            yield request(f"r{n}", "ilo-adult-labour", [])

    assert screen_lines(requests(), out) == 0


def test_an_edited_catalogue_can_be_given(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["rules"]["dimension_positive_if_any"] = [{"strong": 1}]
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = io.StringIO()
    screen_lines([request("r1", "ilo-adult-labour", ["dr.nature_of_job"])], out, load_catalogue(path))
    assert json.loads(out.getvalue())["dimensions"]["deceptive_recruitment"] is True


# The real command -------------------------------------------------------------------------------------------


def run_lantern(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "lantern.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_the_console_script_screens_stdin_to_stdout() -> None:
    lines = [GOLDEN_REQUEST, "", request("é-2", "ilo-adult-labour", ["dr.nature_of_job"])]
    done = run_lantern("screen", stdin="\n".join(lines).encode("utf-8"))
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.decode("utf-8").splitlines()
    assert json.loads(first) == GOLDEN_RESULT
    assert json.loads(second)["id"] == "é-2"
    assert '"id":"é-2"' in second


def test_the_console_script_exits_1_after_a_bad_line_and_survives_bytes_that_are_not_utf8() -> None:
    stdin = b'{"id": "caf\xe9", "instrument": "ilo-adult-labour", "observed": []}\n' + (
        request("r2", "ilo-adult-labour", []).encode() + b"\n"
    )
    done = run_lantern("screen", stdin=stdin)
    assert done.returncode == 1
    bad, good = (json.loads(line) for line in done.stdout.decode("utf-8").splitlines())
    assert bad == {
        "id": None,
        "error": {"code": "malformed_json", "message": "line 1: the line is not valid UTF-8"},
    }
    assert good["id"] == "r2" and good["outcome"] == "no-indicators"


def test_screen_help_prints_the_usage() -> None:
    done = run_lantern("screen", "--help")
    assert done.returncode == 0
    assert b"usage: lantern screen" in done.stdout
    assert b"JSON Lines" in done.stdout


def test_screen_refuses_a_broken_catalogue_with_exit_status_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("strengths: [strong]\n", encoding="utf-8")
    done = run_lantern("screen", "--catalogue", str(path), stdin=b"")
    assert done.returncode == 2
    assert b"broken.yaml: dimensions: missing section" in done.stderr


NO_DJANGO = (
    "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'Django imported'"
)


# That the pure core imports no Django is an import-linter contract (pyproject.toml, `make lint`); this checks
# the running command.
def test_lantern_screen_runs_without_importing_django() -> None:
    code = (
        'import io, sys; sys.stdin = io.StringIO(\'{"id": "r1", "instrument": "ilo-adult-labour", '
        "\"observed\": []}'); from lantern.cli import main; status = main(['screen']); "
        f"assert status == 0; {NO_DJANGO}"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert b'"outcome":"no-indicators"' in done.stdout


# The `lantern` dispatcher -----------------------------------------------------------------------------------


def test_the_usage_lists_the_pure_commands() -> None:
    text = cli.usage()
    for name in cli.PURE_COMMANDS:
        assert f"  {name}  " in text


def test_help_for_a_pure_command_is_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["help", "screen"])
    assert done.value.code == 0
    assert "usage: lantern screen" in capsys.readouterr().out


@pytest.fixture
def fake_django(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Stand-in for django.core.management: records the argv it was given."""
    calls: list[list[str]] = []
    management = types.ModuleType("django.core.management")
    management.execute_from_command_line = calls.append  # type: ignore[attr-defined]
    for name, module in [
        ("django", types.ModuleType("django")),
        ("django.core", types.ModuleType("django.core")),
        ("django.core.management", management),
    ]:
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    return calls


def test_other_commands_go_to_django_with_the_dev_settings_by_default(fake_django: list[list[str]]) -> None:
    assert cli.main(["migrate", "--no-input"]) == 0
    assert fake_django == [["lantern", "migrate", "--no-input"]]
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "lantern.settings.dev"


def test_no_command_prints_the_pure_commands_then_djangos_help(
    fake_django: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([]) == 0
    assert "screen" in capsys.readouterr().out
    assert fake_django == [["lantern"]]
