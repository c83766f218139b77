"""Record linkage end to end: which records of one table (de-duplication) or of two tables (linkage) are the
same person, with a match probability for each pair.

    result = find_links(read_people_csv("a.csv"), read_people_csv("b.csv"), threshold=0.5)

Steps: :func:`lantern.linkage.compare.prepare` (normalise once),
:func:`lantern.linkage.blocking.candidate_pairs` (several blocking rules OR-ed),
:func:`lantern.linkage.compare.compare_pairs` (agreement levels, in chunks so that memory stays flat),
:func:`lantern.linkage.model.fit` (Fellegi–Sunter, EM without labels), then the pairs whose match probability
reaches the threshold. ``engine="splink"`` runs the same features through Splink on DuckDB instead, and
``engine="spark"`` through Splink on Apache Spark (:mod:`lantern.linkage.splink_engine`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lantern.linkage import model as fellegi_sunter
from lantern.linkage.blocking import DEFAULT_MAX_BLOCK, candidate_pairs
from lantern.linkage.cluster import person_clusters
from lantern.linkage.compare import COMPARISONS, Features, compare_pairs, prepare
from lantern.linkage.records import PersonTable

ENGINES = ("lantern", "splink", "spark")


class EngineUnavailable(RuntimeError):
    """The engine asked for cannot run on this machine; the message says what to install."""


# Pairs compared at once: bounds the temporary arrays (about 200 bytes a pair) whatever the number of pairs.
CHUNK = 1_000_000
RANDOM_PAIRS = 50_000
_INDEX = {comparison.name: k for k, comparison in enumerate(COMPARISONS)}
_NAMES = (_INDEX["given_name"], _INDEX["family_name"])
SESSIONS = (
    # Pairs whose names agree (exactly or in skeleton) learn everything but the names...
    fellegi_sunter.TrainingSession(
        selects=tuple((k, (0, 1)) for k in _NAMES),
        learns=tuple(k for k in range(len(COMPARISONS)) if k not in _NAMES),
    ),
    # ...and pairs born on the same known day learn the names.
    fellegi_sunter.TrainingSession(selects=((_INDEX["date_of_birth"], (0,)),), learns=_NAMES),
)


@dataclass
class LinkResult:
    """Pairs at or above the threshold: indices into the left and right tables and their match probability.

    In a de-duplication both indices point into the one table, ``left < right``.
    """

    left: np.ndarray
    right: np.ndarray
    probability: np.ndarray
    n_left: int
    n_right: int
    deduplicating: bool
    threshold: float = 0.5
    candidate_pairs: int = 0
    skipped_blocks: int = 0
    model: fellegi_sunter.FellegiSunter | None = field(default=None, repr=False)

    def clusters(self) -> np.ndarray:
        """A cluster (person) number per record: left records first, then right ones in a link."""
        size = self.n_left if self.deduplicating else self.n_left + self.n_right
        offset = 0 if self.deduplicating else self.n_left
        return person_clusters(size, self.left, self.right + offset, self.probability, self.threshold)


def _random_pairs(features: Features, count: int, seed: int = 20240601) -> tuple[np.ndarray, np.ndarray]:
    """Random record pairs (almost all of them different people), for the starting estimate of u."""
    rng = np.random.default_rng(seed)
    if features.is_link:
        return rng.integers(0, features.n_left, count), rng.integers(features.n_left, features.size, count)
    if features.size < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    left, right = rng.integers(0, features.size, count), rng.integers(0, features.size, count)
    different = left != right
    return left[different], right[different]


def _compare_in_chunks(features: Features, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    levels = np.empty((len(left), len(COMPARISONS)), dtype=np.int8)
    for start in range(0, len(left), CHUNK):
        stop = start + CHUNK
        levels[start:stop] = compare_pairs(features, left[start:stop], right[start:stop])
    return levels


def find_links(
    left: PersonTable,
    right: PersonTable | None = None,
    *,
    threshold: float = 0.5,
    engine: str = "lantern",
    max_block: int = DEFAULT_MAX_BLOCK,
) -> LinkResult:
    """Pairs of records that are the same person with probability >= ``threshold``.

    One table: de-duplication (pairs within it). Two tables: linkage (pairs across them).
    """
    if engine in ("splink", "spark"):
        from lantern.linkage.splink_engine import find_links_with_splink, spark_unavailable_reason

        if engine == "spark" and (reason := spark_unavailable_reason()):
            raise EngineUnavailable(reason)
        return find_links_with_splink(
            left, right, threshold=threshold, backend="spark" if engine == "spark" else "duckdb"
        )
    if engine != "lantern":
        raise ValueError(f"unknown engine '{engine}'; choose one of {', '.join(ENGINES)}")
    features = prepare(left, right)
    n_right = len(right) if right is not None else 0
    empty = np.zeros(0, dtype=np.int64)
    pairs = candidate_pairs(features, max_block=max_block)
    if len(pairs) == 0:
        return LinkResult(empty, empty, np.zeros(0), len(left), n_right, right is None, threshold)
    levels = _compare_in_chunks(features, pairs.left, pairs.right)
    random_left, random_right = _random_pairs(features, RANDOM_PAIRS)
    random_levels = compare_pairs(features, random_left, random_right)
    trained = fellegi_sunter.fit(levels, random_levels, [c.typical_m for c in COMPARISONS], sessions=SESSIONS)
    probability = trained.match_probability(levels)
    keep = probability >= threshold
    offset = 0 if right is None else features.n_left
    return LinkResult(
        left=pairs.left[keep],
        right=pairs.right[keep] - offset,
        probability=probability[keep],
        n_left=len(left),
        n_right=n_right,
        deduplicating=right is None,
        threshold=threshold,
        candidate_pairs=len(pairs),
        skipped_blocks=pairs.skipped_blocks,
        model=trained,
    )
