"""From scored pairs to decisions: clusters of records (= persons) and one-to-one assignments.

- :func:`connected_components`: records joined by a chain of links above the threshold form one person. Every
  record gets a cluster, also a record linked to nothing (a cluster of one).
- :func:`person_clusters`: the same, then clusters held together by a thin chain of links are split again at
  stricter thresholds (see there).
- :func:`one_to_one`: greedy assignment, highest score first, each record used at most once; for linking two
  lists that are each free of duplicates (the PPRL result).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components as _components


def connected_components(size: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """A cluster number per record (0..size-1), numbered in order of each cluster's first record."""
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(size, size))
    _, labels = _components(graph, directed=False)
    # Renumber so that cluster numbers follow file order (stable output for the same input).
    _, first_index, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first_index))
    return order[inverse].astype(np.int64)


# Thresholds at which a sparse cluster is split again, strictest last.
STRICTER_THRESHOLDS = (0.9, 0.99, 0.999, 0.9999)
# A cluster of three or more whose records are linked in fewer than this share of their pairs is sparse.
MIN_DENSITY = 0.5


def person_clusters(
    size: int, left: np.ndarray, right: np.ndarray, probability: np.ndarray, threshold: float
) -> np.ndarray:
    """Connected components of the links, with sparse components split at stricter thresholds.

    The records of one person link to each other in most of their pairs; a long chain in which each record
    links only to the next is more often namesakes joined by one doubtful link each. So a cluster of three or
    more records with links in fewer than half of its pairs keeps only its links at the next stricter
    threshold, and so on. Measured on synthetic de-duplication (pairs of records placed together): cluster F1
    0.909 → 0.937 on a million records, 0.984 → 0.985 on 100,000.
    """
    labels = connected_components(size, left, right)
    for stricter in STRICTER_THRESHOLDS:
        if stricter <= threshold or not len(left):
            continue
        same = labels[left] == labels[right]
        records = np.bincount(labels, minlength=size)
        links = np.bincount(labels[left][same], minlength=size)
        sparse = (records >= 3) & (links < MIN_DENSITY * records * (records - 1) / 2)
        if not sparse.any():
            break
        keep = ~sparse[labels[left]] | (probability >= stricter)
        labels = connected_components(size, left[keep], right[keep])
    return labels


def one_to_one(left: np.ndarray, right: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Indices of the pairs kept by a greedy one-to-one assignment (highest score first, ties by position)."""
    order = np.lexsort((right, left, -score))
    used_left: set[int] = set()
    used_right: set[int] = set()
    kept = []
    for index in order.tolist():
        a, b = int(left[index]), int(right[index])
        if a in used_left or b in used_right:
            continue
        used_left.add(a)
        used_right.add(b)
        kept.append(index)
    return np.array(sorted(kept), dtype=np.int64)
