"""``lantern link`` and ``lantern pprl``: golden outputs, and bad input refused with exit status 2 and nothing
written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lantern.linkage.cli import link_main, pprl_main

HERE = Path(__file__).parent


def run_link(*args) -> int:
    return link_main([str(arg) for arg in args])


def run_pprl(*args) -> int:
    return pprl_main([str(arg) for arg in args])


def assert_refused(status: int, capsys, out_dir: Path, *fragments: str) -> None:
    assert status == 2
    error = capsys.readouterr().err
    for fragment in fragments:
        assert fragment in error, error
    assert sorted(path.name for path in out_dir.iterdir() if path.suffix in (".csv", ".tmp")) == []


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    path = tmp_path / "out"
    path.mkdir()
    return path


def test_link_writes_the_golden_pairs_and_clusters(people_csv, out_dir):
    links, clusters = out_dir / "links.csv", out_dir / "clusters.csv"
    assert run_link(people_csv, "--out", links, "--clusters", clusters) == 0
    assert links.read_text() == (HERE / "golden_links.csv").read_text()
    assert clusters.read_text() == (HERE / "golden_clusters.csv").read_text()
    assert sorted(path.name for path in out_dir.iterdir()) == ["clusters.csv", "links.csv"]


def test_link_keeps_pairs_at_or_above_the_threshold(people_csv, out_dir):
    links = out_dir / "links.csv"
    assert run_link(people_csv, "--out", links, "--threshold", "0.9999") == 0
    rows = links.read_text().splitlines()
    assert rows[0] == "left_id,right_id,match_probability"
    assert all(float(row.rsplit(",", 1)[1]) >= 0.9999 for row in rows[1:])
    assert 0 < len(rows) - 1 < len((HERE / "golden_links.csv").read_text().splitlines()) - 1


def test_link_of_two_files_pairs_left_ids_with_right_ids(people_csv, tmp_path, out_dir):
    left = tmp_path / "left.csv"
    left.write_text("id,given_name,family_name,date_of_birth\nx1,Natalya,Ivanova,1979-02-03\n")
    links = out_dir / "links.csv"
    assert run_link(left, people_csv, "--out", links) == 0
    pairs = [row.split(",")[:2] for row in links.read_text().splitlines()[1:]]
    assert pairs == [["x1", "p3a"], ["x1", "p3b"], ["x1", "p3c"]]


def test_link_of_two_files_without_the_columns_a_blocking_rule_needs(tmp_path, out_dir):
    """Names and dates only: the address and postcode rules give no key at all, and that is fine."""
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text("id,given_name,family_name,date_of_birth\nx1,Natalya,Ivanova,1979-02-03\n")
    right.write_text(
        "id,given_name,family_name,date_of_birth\ny1,Natalia,Ivanova,1979-02-03\ny2,Omar,Haddad,1990\n"
    )
    links = out_dir / "links.csv"
    assert run_link(left, right, "--out", links) == 0
    assert [row.split(",")[:2] for row in links.read_text().splitlines()[1:]] == [["x1", "y1"]]


def test_an_output_written_over_an_older_one_replaces_it_whole(people_csv, out_dir):
    links = out_dir / "links.csv"
    links.write_text("old content\n")
    assert run_link(people_csv, "--out", links) == 0
    assert links.read_text() == (HERE / "golden_links.csv").read_text()


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("given_name,family_name\nAli,Hassan\n", ["line 1", "column 'id'"]),
        ("id,given_name\na,Ali\nb,Omar\na,Hassan\n", ["line 4", "column 'id'", "already used on line 2"]),
        (b"id,given_name\na,Ali\nb,Ren\xe9\n", ["line 3", "column 'given_name'", "UTF-8"]),
        ("", ["line 1", "empty"]),
    ],
)
def test_bad_input_is_refused_naming_line_and_column_and_nothing_is_written(
    content, fragments, tmp_path, out_dir, capsys
):
    source = tmp_path / "people.csv"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content, encoding="utf-8")
    status = run_link(source, "--out", out_dir / "links.csv", "--clusters", out_dir / "clusters.csv")
    assert_refused(status, capsys, out_dir, "lantern link: error:", str(source), *fragments)


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("id,date_of_birth\na,1990-01-01\nb,12/31/1990\n", ["line 3", "column 'date_of_birth'"]),
        ("id,date_of_birth\na,1990-02-30\n", ["line 2", "column 'date_of_birth'", "no day 30"]),
    ],
)
def test_with_strict_a_value_that_does_not_parse_is_refused_and_nothing_is_written(
    content, fragments, tmp_path, out_dir, capsys
):
    source = tmp_path / "people.csv"
    source.write_text(content, encoding="utf-8")
    status = run_link(source, "--strict", "--out", out_dir / "links.csv", "--clusters", out_dir / "c.csv")
    assert_refused(status, capsys, out_dir, "lantern link: error:", str(source), *fragments)


def test_a_date_that_does_not_parse_is_kept_counted_and_still_links(tmp_path, out_dir, capsys):
    source = tmp_path / "people.csv"
    rows = [
        "id,given_name,family_name,date_of_birth,locality",
        "a,Amina,Yusuf,1945-04-23,Kano",
        "b,Amina,Yusuf,1945-04-93,Kano",  # a typo that makes the day impossible
        "c,Omar,Bello,1950-13-02,Jos",
        "d,Sara,Ade,soon,Ibadan",
        "e,Musa,Garba,1961-02-30,Zaria",
        "f,Ngozi,Eze,1970-00-01,Enugu",
        "g,Bola,Tinubu,1952-1-3x,Lagos",
        "h,Aisha,Buhari,1971-02-31,Yola",
    ]
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert run_link(source, "--out", out_dir / "links.csv") == 0
    error = capsys.readouterr().err
    assert "7 values of date_of_birth kept as text" in error
    assert "lines 3, 4, 5, 6, 7, ..." in error
    links = (out_dir / "links.csv").read_text().splitlines()
    assert [line.split(",")[:2] for line in links[1:]] == [["a", "b"]]


def test_pprl_encode_keeps_and_counts_a_date_that_does_not_parse(tmp_path, key_file, out_dir, capsys):
    source = tmp_path / "people.csv"
    source.write_text("id,given_name,date_of_birth\na,Amina,1945-04-93\n", encoding="utf-8")
    status = run_pprl("encode", source, "--key-file", key_file, "--out", out_dir / "p.clk.csv")
    assert status == 0
    assert "1 value of date_of_birth kept as text (not valid; compared as written) on line 2" in (
        capsys.readouterr().err
    )
    status = run_pprl("encode", source, "--strict", "--key-file", key_file, "--out", out_dir / "s.clk.csv")
    assert_refused_file = status == 2 and not (out_dir / "s.clk.csv").exists()
    assert assert_refused_file
    assert "line 2, column 'date_of_birth': '1945-04-93': there is no day 93" in capsys.readouterr().err


def test_bad_second_file_leaves_no_output(people_csv, tmp_path, out_dir, capsys):
    right = tmp_path / "right.csv"
    right.write_text("id,date_of_birth\nr1,1990-00-01\n", encoding="utf-8")
    status = run_link(people_csv, right, "--strict", "--out", out_dir / "links.csv")
    assert_refused(status, capsys, out_dir, "right.csv, line 2, column 'date_of_birth'")


def test_clusters_of_two_files_need_distinct_ids(people_csv, out_dir, capsys):
    status = run_link(people_csv, people_csv, "--out", out_dir / "links.csv", "--clusters", out_dir / "c.csv")
    assert_refused(status, capsys, out_dir, "in both files", "column 'id'")


def test_a_missing_output_folder_is_refused(people_csv, tmp_path, capsys):
    status = run_link(people_csv, "--out", tmp_path / "nowhere" / "links.csv")
    assert status == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_threshold_outside_0_1_is_a_usage_error(people_csv, out_dir):
    with pytest.raises(SystemExit) as exited:
        run_link(people_csv, "--out", out_dir / "links.csv", "--threshold", "1.5")
    assert exited.value.code == 2


def test_pprl_encode_then_link_finds_the_same_people(people_csv, key_file, tmp_path, out_dir):
    encoded = tmp_path / "people.clk.csv"
    assert run_pprl("encode", people_csv, "--key-file", key_file, "--out", encoded) == 0
    assert encoded.read_text().splitlines()[0] == "id,clk,key_fingerprint,schema"
    links = out_dir / "links.csv"
    assert run_pprl("link", encoded, encoded, "--out", links) == 0
    rows = links.read_text().splitlines()
    assert rows[0] == "left_id,right_id,match_probability"
    # Linking a file with itself: one to one, every record with itself, Dice 1.
    assert rows[1:] == [f"{record_id},{record_id},1.000000" for record_id in _ids(people_csv)]


def test_pprl_link_refuses_encodings_made_with_another_key(people_csv, key_file, tmp_path, out_dir, capsys):
    other_key = tmp_path / "other.key"
    other_key.write_text("a-different-secret-of-another-partner\n")
    mine, theirs = tmp_path / "a.clk.csv", tmp_path / "b.clk.csv"
    assert run_pprl("encode", people_csv, "--key-file", key_file, "--out", mine) == 0
    assert run_pprl("encode", people_csv, "--key-file", other_key, "--out", theirs) == 0
    capsys.readouterr()
    status = run_pprl("link", mine, theirs, "--out", out_dir / "links.csv")
    expected = ("lantern pprl: error:", "different keys", "column 'key_fingerprint'")
    assert_refused(status, capsys, out_dir, *expected)


def test_pprl_link_refuses_another_schema(people_csv, key_file, tmp_path, out_dir, capsys):
    encoded = tmp_path / "a.clk.csv"
    assert run_pprl("encode", people_csv, "--key-file", key_file, "--out", encoded) == 0
    text = encoded.read_text()
    schema = text.splitlines()[1].rsplit(",", 1)[1]
    changed = tmp_path / "b.clk.csv"
    changed.write_text(text.replace(schema, "ffffffffffffffff"))
    capsys.readouterr()
    status = run_pprl("link", encoded, changed, "--out", out_dir / "links.csv")
    assert_refused(status, capsys, out_dir, "b.clk.csv, line 2, column 'schema'")


def test_pprl_link_refuses_a_person_file_given_as_encodings(people_csv, out_dir, capsys):
    status = run_pprl("link", people_csv, people_csv, "--out", out_dir / "links.csv")
    assert_refused(status, capsys, out_dir, "line 1", "column 'clk'")


def test_pprl_encode_refuses_bad_people_and_short_keys(people_csv, key_file, tmp_path, out_dir, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("id\na\na\n")
    status = run_pprl("encode", bad, "--key-file", key_file, "--out", out_dir / "bad.clk.csv")
    assert_refused(status, capsys, out_dir, "line 3, column 'id'")
    short = tmp_path / "short.key"
    short.write_text("tiny")
    status = run_pprl("encode", people_csv, "--key-file", short, "--out", out_dir / "p.clk.csv")
    assert_refused(status, capsys, out_dir, "at least 16")


def test_the_module_runs_as_a_command(people_csv, out_dir):
    links = out_dir / "links.csv"
    command = [sys.executable, "-m", "lantern.linkage.cli", "link", str(people_csv), "--out", str(links)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert links.read_text() == (HERE / "golden_links.csv").read_text()


def _ids(path: Path) -> list[str]:
    return [line.split(",", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()[1:]]
