"""The Fellegi–Sunter model learns without labels what agreement says."""

from __future__ import annotations

import numpy as np
import pytest

from lantern.linkage.model import FellegiSunter, distinct_patterns, fit

TRUE_M = [np.array([0.9, 0.07, 0.03]), np.array([0.85, 0.15]), np.array([0.8, 0.1, 0.1])]
TRUE_U = [np.array([0.05, 0.15, 0.8]), np.array([0.3, 0.7]), np.array([0.02, 0.08, 0.9])]


def simulate(pairs: int, match_share: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    is_match = rng.random(pairs) < match_share
    levels = np.empty((pairs, len(TRUE_M)), dtype=np.int8)
    for k, (m, u) in enumerate(zip(TRUE_M, TRUE_U, strict=True)):
        levels[is_match, k] = rng.choice(len(m), size=is_match.sum(), p=m)
        levels[~is_match, k] = rng.choice(len(u), size=(~is_match).sum(), p=u)
    return levels, is_match


def test_em_recovers_the_parameters_that_made_the_pairs():
    rng = np.random.default_rng(3)
    candidates, _ = simulate(50_000, 0.2, rng)
    random_pairs, _ = simulate(20_000, 0.0, rng)
    model = fit(candidates, random_pairs, [(0.6, 0.2, 0.2), (0.5, 0.5), (0.6, 0.2, 0.2)])
    assert model.prior == pytest.approx(0.2, abs=0.01)
    for learnt, true in zip(model.m, TRUE_M, strict=True):
        assert learnt == pytest.approx(true, abs=0.02)
    for learnt, true in zip(model.u, TRUE_U, strict=True):
        assert learnt == pytest.approx(true, abs=0.02)


def test_agreement_raises_and_disagreement_lowers_the_match_probability():
    model = FellegiSunter(m=TRUE_M, u=TRUE_U, prior=0.1)
    agree, disagree = np.array([[0, 0, 0]]), np.array([[2, 1, 2]])
    assert model.match_probability(agree)[0] > 0.99 > 0.01 > model.match_probability(disagree)[0]


def test_a_missing_value_adds_no_evidence():
    model = FellegiSunter(m=TRUE_M, u=TRUE_U, prior=0.1)
    weight = model.match_weight(np.array([[-1, -1, -1]]))[0]
    assert weight == pytest.approx(np.log2(0.1 / 0.9))


def test_a_handful_of_pairs_keeps_the_typical_values():
    rng = np.random.default_rng(4)
    candidates, _ = simulate(30, 0.5, rng)
    typical = [(0.6, 0.2, 0.2), (0.5, 0.5), (0.6, 0.2, 0.2)]
    model = fit(candidates, simulate(5_000, 0.0, rng)[0], typical)
    for learnt, shares in zip(model.m, typical, strict=True):
        assert learnt == pytest.approx(np.array(shares) / sum(shares))


def test_distinct_patterns_count_each_row_once():
    patterns, counts = distinct_patterns(np.array([[0, -1], [1, 0], [0, -1]], dtype=np.int8), [2, 1])
    assert sorted(zip(map(tuple, patterns.tolist()), counts.tolist(), strict=True)) == [
        ((0, -1), 2),
        ((1, 0), 1),
    ]
