"""Differentially private tables: reproducible with a seed, different without; the epsilon accounting."""

from __future__ import annotations

import math

import pytest

from lantern.releases import dp

from .synthetic import synthetic_rows

YEARS = range(2016, 2026)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return synthetic_rows(2000)


def test_with_a_seed_the_output_is_identical(rows: list[dict]) -> None:
    first = dp.dp_tables(rows, epsilon=1.0, years=YEARS, seed=42)
    second = dp.dp_tables(rows, epsilon=1.0, years=YEARS, seed=42)
    assert first.to_csv() == second.to_csv()
    assert first.tables == second.tables


def test_another_seed_gives_other_noise(rows: list[dict]) -> None:
    assert dp.dp_tables(rows, years=YEARS, seed=1).tables != dp.dp_tables(rows, years=YEARS, seed=2).tables


def test_without_a_seed_the_output_differs(rows: list[dict]) -> None:
    # 160 cells with noise of scale 4: two runs agreeing everywhere has probability far below 1e-50.
    first = dp.dp_tables(rows, epsilon=1.0, years=YEARS)
    second = dp.dp_tables(rows, epsilon=1.0, years=YEARS)
    assert first.tables != second.tables
    assert first.publishable and second.publishable


def test_the_noise_is_centred_on_the_true_counts(rows: list[dict]) -> None:
    spec = dp.TABLES[0]
    truth = [c for line in dp.true_counts(rows, spec, YEARS) for c in line]
    noisy = [
        c for line in dp.dp_tables(rows, epsilon=2.0, years=YEARS, seed=5).tables[0].counts for c in line
    ]
    assert noisy != truth
    bound = dp.error_bound(dp.noise_scale(2.0, len(dp.TABLES)))
    outside = sum(abs(n - t) > bound for n, t in zip(noisy, truth, strict=True))
    assert outside <= len(truth) * 0.2  # about 5 % expected


def test_the_total_epsilon_is_split_equally_over_the_tables(rows: list[dict]) -> None:
    result = dp.dp_tables(rows, epsilon=0.8, years=YEARS)
    per_table = [t.epsilon for t in result.tables]
    assert per_table == pytest.approx([0.8 / len(dp.TABLES)] * len(dp.TABLES))
    assert sum(per_table) == pytest.approx(result.epsilon_spent)
    assert result.epsilon_spent <= 0.8 + 1e-9
    assert result.scale == pytest.approx(len(dp.TABLES) / 0.8)
    # OpenDP's own accounting of one table at this scale: a person changes the counts by 1 in L1.
    assert dp.laplace_measurement(result.scale).map(1) == pytest.approx(0.8 / len(dp.TABLES))


def test_each_person_is_counted_once_per_table(rows: list[dict]) -> None:
    for spec in dp.TABLES:
        assert sum(map(sum, dp.true_counts(rows, spec, YEARS))) == len(rows)


def test_the_cells_are_fixed_in_advance_not_taken_from_the_data() -> None:
    one = dp.dp_tables(synthetic_rows(1), years=YEARS, seed=1)
    for table in one.tables:
        assert table.years == tuple(YEARS)
        assert all(len(line) == len(table.spec.categories) for line in table.counts)


def test_every_cell_states_epsilon_and_its_expected_error(rows: list[dict]) -> None:
    result = dp.dp_tables(rows, epsilon=1.0, years=YEARS, seed=9)
    lines = result.to_csv().splitlines()
    assert lines[0] == "table,year,category,count,epsilon,error_95,publishable"
    assert len(lines) == 1 + sum(len(YEARS) * len(spec.categories) for spec in dp.TABLES)
    expected = math.ceil(dp.discrete_laplacian_scale_to_accuracy(4.0, 0.05) - 1e-9)
    assert all(line.split(",")[4:] == ["0.25", str(expected), "0"] for line in lines[1:])


def test_negative_noisy_counts_are_shown_as_zero() -> None:
    empty = dp.dp_tables([], epsilon=0.1, years=YEARS, seed=3)
    counts = [c for t in empty.tables for line in t.counts for c in line]
    assert min(counts) == 0 and max(counts) > 0  # the noise went both ways; negatives were clamped


def test_seeded_noise_follows_the_discrete_laplace_distribution() -> None:
    import numpy as np

    draws = dp.seeded_discrete_laplace(np.random.default_rng(0), 4.0, 200_000)
    # Var of the discrete Laplace with t = 4: 2 e^{-1/t} / (1 - e^{-1/t})^2.
    a = math.exp(-1 / 4)
    assert abs(draws.mean()) < 0.05
    assert draws.var() == pytest.approx(2 * a / (1 - a) ** 2, rel=0.03)


def test_a_bad_epsilon_is_refused(rows: list[dict]) -> None:
    with pytest.raises(ValueError):
        dp.dp_tables(rows, epsilon=0, years=YEARS)
