"""The Fellegi–Sunter model: how much each agreement level says for or against a match, learnt without labels.

For every comparison k and level l the model holds m[k][l] = P(level | same person) and u[k][l] =
P(level | different people). A pair's match weight is log2 of the prior odds plus the sum over its comparisons
of log2(m/u); a missing value (level -1) adds nothing.

Estimation without labels, by expectation–maximisation (EM) on the candidate pairs as a two-class mixture:

- u starts from the levels of record pairs drawn at random (almost all of them are different people) and m
from
  typical shares written down with the comparisons (matches mostly agree);
- EM re-estimates m, u and the share of matches among the candidate pairs. Unlike Splink's default (u fixed at
  the random-pair estimate), u is re-estimated too: candidate pairs of different people agree more often than
  random ones (blocking chose them for agreeing on something), and learning that made the model more precise
  on FEBRL (F1 0.9988 against 0.9974 with u fixed);
- training sessions (:class:`TrainingSession`) choose where the final EM starts, so that it separates persons
  from namesakes rather than common names from rare ones.

EM runs on the distinct level patterns with their counts, so it costs milliseconds however many pairs there
are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Parameters never reach 0 or 1: a level unseen during training must not veto or force a match.
_FLOOR = 1e-6
# Weight of the prior knowledge (typical m, random-pair u) in pseudo-pairs. The random-pair u is measured on
# the data itself (random pairs are almost all different people), so it counts more.
PRIOR_PAIRS = 100.0
U_PRIOR_FACTOR = 10.0


@dataclass
class FellegiSunter:
    """A trained model; ``m`` and ``u`` hold one array of level probabilities per comparison."""

    m: list[np.ndarray]
    u: list[np.ndarray]
    prior: float
    iterations: int = 0

    @property
    def level_weights(self) -> list[np.ndarray]:
        """log2(m/u) per comparison and level."""
        return [np.log2(m / u) for m, u in zip(self.m, self.u, strict=True)]

    def match_weight(self, levels: np.ndarray) -> np.ndarray:
        """log2 posterior odds of a match for each row of comparison levels."""
        weight = np.full(len(levels), np.log2(self.prior / (1 - self.prior)))
        for k, table in enumerate(self.level_weights):
            column = levels[:, k]
            present = column >= 0
            weight[present] += table[column[present]]
        return weight

    def match_probability(self, levels: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp2(-self.match_weight(levels)))


def level_frequencies(levels: np.ndarray, level_counts: Sequence[int]) -> list[np.ndarray]:
    """Share of each level among the non-missing values of each comparison (smoothed, never 0)."""
    result = []
    for k, count in enumerate(level_counts):
        column = levels[:, k]
        tally = np.bincount(column[column >= 0], minlength=count)[:count].astype(np.float64) + 0.5
        result.append(tally / tally.sum())
    return result


@dataclass(frozen=True)
class TrainingSession:
    """EM on the candidate pairs that agree on some comparisons, learning the others.

    Among pairs with the same names, what separates one person from namesakes is the date of birth and the
    address; among pairs born the same day, it is the names. Training each comparison where the others, not
    it, selected the pairs keeps EM from mistaking "shares a common name" for "same person" (which happens
    when namesakes outnumber true matches, as in a million records with common names). Splink trains the same
    way.
    """

    selects: tuple[
        tuple[int, tuple[int, ...]], ...
    ]  # (comparison, levels) that a pair must have, all of them
    learns: tuple[int, ...]  # comparisons whose m and u this session estimates


MIN_SESSION_PAIRS = 200
MIN_TRAINING_PAIRS = 1000


def _em(
    patterns: np.ndarray,
    counts: np.ndarray,
    m: list[np.ndarray],
    u: list[np.ndarray],
    m_prior: list[np.ndarray],
    u_prior: list[np.ndarray],
    prior_pairs: float,
    *,
    learn_m_u: bool = True,
    max_iterations: int = 100,
    tolerance: float = 1e-6,
) -> tuple[list[np.ndarray], list[np.ndarray], float, int]:
    """EM from ``m`` and ``u``: (m, u, match share, iterations); ``learn_m_u=False`` keeps m and u fixed."""
    prior = 0.1
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 (used after the loop)
        posterior = FellegiSunter(m=m, u=u, prior=prior).match_probability(patterns)
        matched = posterior * counts
        new_prior = float(np.clip(matched.sum() / counts.sum(), _FLOOR, 1 - _FLOOR))
        new_m = m
        if learn_m_u:
            new_m = _reestimate(patterns, matched, m_prior, prior_pairs)
            u = _reestimate(patterns, (1 - posterior) * counts, u_prior, prior_pairs * U_PRIOR_FACTOR)
            new_m = [_ordered(m_k, u_k) for m_k, u_k in zip(new_m, u, strict=True)]
        change = max(
            abs(new_prior - prior), *(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True))
        )
        m, prior = new_m, new_prior
        if change < tolerance:
            break
    return m, u, prior, iteration


def fit(
    candidate_levels: np.ndarray,
    random_levels: np.ndarray,
    typical_m: Sequence[Sequence[float]],
    *,
    sessions: Sequence[TrainingSession] = (),
    prior_pairs: float = PRIOR_PAIRS,
) -> FellegiSunter:
    """Estimate m, u and the match share among candidate pairs by EM (u starts from the random pairs).

    ``typical_m`` (one tuple of level shares per comparison) is where m starts, and it counts as
    ``prior_pairs`` pseudo-observations in every re-estimation (likewise the random-pair u): a maximum a
    posteriori estimate that stays sensible for a file of ten records and is ruled by the data for thousands.

    EM first runs on all candidate pairs; then each of ``sessions`` with enough pairs re-estimates the
    comparisons it learns (the others are left out of its likelihood); finally EM runs again on all candidate
    pairs, starting from the sessions' estimates. The sessions only choose where EM starts, but that decides
    which split of the pairs it finds: started from the generic guess on a million synthetic records, EM split
    "shares a common name" from the rest (pairwise F1 0.18); started from the sessions, it split people from
    namesakes (F1 0.97).
    """
    level_counts = [len(shares) for shares in typical_m]
    u_random = [
        np.clip(shares, _FLOOR, 1 - _FLOOR) for shares in level_frequencies(random_levels, level_counts)
    ]
    m_typical = [np.asarray(shares, dtype=np.float64) / np.sum(shares) for shares in typical_m]
    patterns, counts = distinct_patterns(candidate_levels, level_counts)
    counts = counts.astype(np.float64)
    if counts.sum() < MIN_TRAINING_PAIRS:
        # Too few pairs to learn from (EM would call its own first guesses matches and confirm them): keep the
        # typical m and the random-pair u, and estimate only the share of matches.
        m, u, prior, iterations = _em(
            patterns, counts, m_typical, u_random, m_typical, u_random, prior_pairs, learn_m_u=False
        )
        return FellegiSunter(m=m, u=u, prior=prior, iterations=iterations)
    m, u, prior, iterations = _em(patterns, counts, m_typical, u_random, m_typical, u_random, prior_pairs)
    m, u = list(m), list(u)
    for session in sessions:
        chosen = np.ones(len(patterns), dtype=bool)
        for comparison, levels in session.selects:
            chosen &= np.isin(patterns[:, comparison], levels)
        if counts[chosen].sum() < MIN_SESSION_PAIRS:
            continue
        masked = patterns[chosen].copy()
        for comparison in range(patterns.shape[1]):
            if comparison not in session.learns:
                masked[:, comparison] = -1
        m_session, u_session, _, _ = _em(
            masked, counts[chosen], m_typical, u_random, m_typical, u_random, prior_pairs
        )
        for comparison in session.learns:
            m[comparison], u[comparison] = m_session[comparison], u_session[comparison]
    if sessions:
        m, u, prior, iterations = _em(patterns, counts, m, u, m_typical, u_random, prior_pairs)
    return FellegiSunter(m=m, u=u, prior=prior, iterations=iterations)


def distinct_patterns(levels: np.ndarray, level_counts: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``levels`` and how often each occurs (via one integer code per row: fast)."""
    code = np.zeros(len(levels), dtype=np.int64)
    for k, count in enumerate(level_counts):
        code = code * (count + 1) + (levels[:, k].astype(np.int64) + 1)
    _, first, counts = np.unique(code, return_index=True, return_counts=True)
    return levels[first], counts


def _ordered(m: np.ndarray, u: np.ndarray) -> np.ndarray:
    """m adjusted so that the first level (the strongest agreement) never counts against a match and the last
    (disagreement) never counts for one.

    Without this EM can settle on a wrong split of the pairs, e.g. "people sharing a common name" against the
    rest, in which an agreeing date of birth would count against a match (seen on a million synthetic
    records).
    """
    if len(m) < 2:
        return m
    m = m.copy()
    m[0] = max(m[0], u[0])
    m[-1] = min(m[-1], u[-1])
    return m / m.sum()


def _reestimate(
    patterns: np.ndarray, weights: np.ndarray, prior: Sequence[np.ndarray], prior_pairs: float
) -> list[np.ndarray]:
    """Level shares weighted by ``weights`` per pattern, plus ``prior_pairs`` pseudo-pairs distributed as
    ``prior``."""
    result = []
    for k, prior_shares in enumerate(prior):
        count = len(prior_shares)
        column = patterns[:, k]
        present = column >= 0
        tally = np.bincount(column[present], weights=weights[present], minlength=count)[:count]
        tally = tally + prior_pairs * prior_shares
        result.append(np.clip(tally / tally.sum(), _FLOOR, 1 - _FLOOR))
    return result
