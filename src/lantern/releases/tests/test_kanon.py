"""k-anonymity of the released microdata, and the report of what was generalised and suppressed."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from lantern.releases import kanon
from lantern.releases.services import microdata_csv

from .synthetic import ctdc_row, synthetic_rows


def released_groups(text: str) -> Counter:
    """Group the released CSV by its quasi-identifier columns, as an attacker reading the file would."""
    reader = csv.DictReader(
        io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))
    )
    return Counter(tuple(row[column] for column in kanon.QI_COLUMNS) for row in reader)


@pytest.mark.parametrize("k", [2, 5, 10, 25])
def test_every_group_in_the_released_file_has_at_least_k_persons(k: int) -> None:
    rows = synthetic_rows(3000, seed=k)
    released, report = kanon.anonymise(rows, k=k, max_suppression=0.05)
    groups = released_groups(microdata_csv(released, report, "Test"))
    assert groups, "something must be released"
    assert min(groups.values()) >= k
    assert sum(groups.values()) == report.records_released == len(released)
    assert report.smallest_class == min(groups.values())
    assert report.classes == len(groups)


def test_the_file_states_k_and_what_was_generalised() -> None:
    released, report = kanon.anonymise(synthetic_rows(2000), k=10)
    text = microdata_csv(released, report, "Persons 2016-2025")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert any("k=10" in line for line in comments)
    generalised = next(line for line in comments if line.startswith("# Generalised:"))
    for used in report.generalisation:
        assert f"{used.column}: {used.level_name}" in generalised
    assert f"Suppressed: {report.suppressed} of 2000" in text


def test_suppression_on_a_hand_made_example() -> None:
    # Ten identical women from Nigeria, and one man from Syria who stands out. With k = 10 and one record in
    # ten allowed out, nothing needs generalising: the man is suppressed and only he.
    rows = [ctdc_row() for _ in range(10)] + [
        ctdc_row(gender="Male", age="48+", citizenship="SY", exploitation="begging", year=2019, country="IT")
    ]
    released, report = kanon.anonymise(rows, k=10, max_suppression=0.1)
    assert report.suppressed == 1
    assert report.records_released == 10
    assert report.smallest_class == 10
    assert report.classes == 1
    assert [g.level for g in report.generalisation] == [0] * len(kanon.QI_COLUMNS)
    assert report.information_loss == 0
    assert all(row["gender"] == "Female" and row["citizenship"] == "NG" for row in released)


def test_without_suppression_the_values_are_generalised_instead() -> None:
    # Five 21–23 and five 24–26 year-olds, otherwise the same: with k = 10 and no suppression allowed, only
    # the wider age band (18–29) makes one group of ten.
    rows = [ctdc_row(age="21--23") for _ in range(5)] + [ctdc_row(age="24--26") for _ in range(5)]
    released, report = kanon.anonymise(rows, k=10, max_suppression=0)
    levels = {g.column: g.level for g in report.generalisation}
    assert levels == {
        "ageBroad": 1,
        "gender": 0,
        "citizenship": 0,
        "exploitation": 0,
        "yearOfRegistration": 0,
        "region": 0,
    }
    assert report.suppressed == 0
    assert {row["ageBroad"] for row in released} == {"18--29"}
    assert report.information_loss == pytest.approx((1 / 3) / 6)


def test_the_least_generalisation_is_chosen() -> None:
    rows = synthetic_rows(1500, seed=3)
    node, lattice = kanon.least_generalisation(
        [kanon.quasi_identifiers_of(r) for r in rows], k=5, max_suppression=0.02
    )
    allowed = int(0.02 * len(rows))
    assert lattice.suppressed(node) <= allowed
    # Lowering any one level breaks k-anonymity within the suppression allowed (a minimal node).
    for q, level in enumerate(node):
        if level:
            lower = (*node[:q], level - 1, *node[q + 1 :])
            assert lattice.suppressed(lower) > allowed


def test_no_satisfying_generalisation_loses_less_information() -> None:
    import itertools

    records = [kanon.quasi_identifiers_of(r) for r in synthetic_rows(800, seed=11)]
    node, lattice = kanon.least_generalisation(records, k=10, max_suppression=0.03)
    allowed = int(0.03 * len(records))
    best = kanon.information_loss(node, kanon.QUASI_IDENTIFIERS)
    for other in itertools.product(*(range(h.top + 1) for h in kanon.QUASI_IDENTIFIERS)):
        if lattice.suppressed(other) <= allowed:
            assert kanon.information_loss(other, kanon.QUASI_IDENTIFIERS) >= best


def test_too_few_persons_cannot_be_released() -> None:
    with pytest.raises(kanon.NotAnonymisable):
        kanon.anonymise([ctdc_row() for _ in range(4)], k=5, max_suppression=0.05)


def test_hierarchies_generalise_step_by_step() -> None:
    age, gender, citizenship, exploitation, year, region = kanon.QUASI_IDENTIFIERS
    assert [age.generalise("24--26", n) for n in range(4)] == ["24--26", "18--29", "18+", "*"]
    assert [gender.generalise("Male", n) for n in range(2)] == ["Male", "*"]
    assert [citizenship.generalise("NG", n) for n in range(4)] == ["NG", "Sub-Saharan Africa", "Africa", "*"]
    assert [year.generalise("2023", n) for n in range(4)] == ["2023", "2022–2023", "2020–2024", "*"]
    assert [exploitation.generalise("Forced labour: begging", n) for n in range(3)] == [
        "Forced labour: begging",
        "Forced labour",
        "*",
    ]
    assert region.generalise("Unknown", 2) == "Unknown"
    assert citizenship.generalise("ZZ", 1) == "Other"


def test_released_rows_do_not_keep_the_registration_order() -> None:
    rows = [ctdc_row(year=2025 - i % 2) for i in range(20)]
    released, _ = kanon.anonymise(rows, k=10, max_suppression=0)
    assert [r["yearOfRegistration"] for r in released] == sorted(r["yearOfRegistration"] for r in released)
