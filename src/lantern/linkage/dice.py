"""The Dice coefficient of Bloom-filter encodings, for many pairs at once.

Encodings are packed bits: a ``(records, words)`` array of ``uint64`` (1024 bits = 16 words). For two
encodings a and b, ``Dice = 2 |a AND b| / (|a| + |b|)`` where ``|x|`` counts set bits.

:func:`dice_pairs_above` scores every pair of two lists and keeps those at or above a threshold. The inner
loop is compiled by numba: AND, population count (the CPU's popcount instruction, through LLVM's ``ctpop``)
and a sum, four left rows per pass so each right row is loaded once for four comparisons. It runs on one core;
pairs whose bit counts differ too much to reach the threshold are skipped without comparing (exact pruning:
the result is the same as comparing them).
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import intrinsic


@intrinsic
def _popcount(typingctx, value):  # noqa: ARG001 (numba's intrinsic signature)
    signature = types.uint64(types.uint64)

    def codegen(context, builder, sig, args):
        return builder.ctpop(args[0])

    return signature, codegen


@njit(cache=True, nogil=True, boundscheck=False)
def _dice_block(a, b, count_a, count_b, threshold, j_start, j_stop, out_i, out_j, out_score):
    """Pairs (i, j) at or above the threshold, for j in [j_start[i], j_stop[i]) and rows i of ``a``.

    Rows of ``a`` go four at a time over the union of their j ranges; a pair outside its own range is compared
    for nothing but cannot pass (the ranges are where the threshold is reachable). Results are written while
    they fit in the output arrays; the total count is returned (call again with larger arrays if bigger).
    """
    n, words = a.shape
    k = 0
    capacity = out_i.shape[0]
    full = n - n % 4
    for i0 in range(0, full, 4):
        lo = min(min(j_start[i0], j_start[i0 + 1]), min(j_start[i0 + 2], j_start[i0 + 3]))
        hi = max(max(j_stop[i0], j_stop[i0 + 1]), max(j_stop[i0 + 2], j_stop[i0 + 3]))
        for j in range(lo, hi):
            c0 = 0
            c1 = 0
            c2 = 0
            c3 = 0
            for t in range(words):
                x = b[j, t]
                c0 += _popcount(a[i0, t] & x)
                c1 += _popcount(a[i0 + 1, t] & x)
                c2 += _popcount(a[i0 + 2, t] & x)
                c3 += _popcount(a[i0 + 3, t] & x)
            for r in range(4):
                common = c0 if r == 0 else (c1 if r == 1 else (c2 if r == 2 else c3))
                total = count_a[i0 + r] + count_b[j]
                if total > 0 and 2.0 * common >= threshold * total:
                    if k < capacity:
                        out_i[k] = i0 + r
                        out_j[k] = j
                        out_score[k] = 2.0 * common / total
                    k += 1
    for i in range(full, n):
        for j in range(j_start[i], j_stop[i]):
            common = 0
            for t in range(words):
                common += _popcount(a[i, t] & b[j, t])
            total = count_a[i] + count_b[j]
            if total > 0 and 2.0 * common >= threshold * total:
                if k < capacity:
                    out_i[k] = i
                    out_j[k] = j
                    out_score[k] = 2.0 * common / total
                k += 1
    return k


def bit_counts(encodings: np.ndarray) -> np.ndarray:
    """Set bits per encoding."""
    return np.bitwise_count(encodings).sum(axis=1, dtype=np.int64)


def dice_pairs_above(
    left: np.ndarray, right: np.ndarray, threshold: float, *, prune: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs ``(i, j)`` with Dice(left[i], right[j]) >= threshold: arrays i, j and the scores.

    ``prune`` skips pairs whose bit counts alone rule out the threshold (for Dice >= t the smaller count must
    be at least t / (2 - t) of the larger); set it False to compare every pair (for measuring the kernel).
    """
    left = np.ascontiguousarray(left, dtype=np.uint64)
    right = np.ascontiguousarray(right, dtype=np.uint64)
    if left.ndim != 2 or right.ndim != 2 or left.shape[1] != right.shape[1]:
        raise ValueError("encodings must be 2-D arrays of uint64 words of the same width")
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
    if not len(left) or not len(right):
        return empty
    count_left, count_right = bit_counts(left), bit_counts(right)
    left_order = np.argsort(count_left, kind="stable")
    right_order = np.argsort(count_right, kind="stable")
    sorted_left, sorted_right = left[left_order], right[right_order]
    counts_l, counts_r = count_left[left_order], count_right[right_order]
    if prune and threshold > 0:
        ratio = threshold / (2.0 - threshold)
        j_start = np.searchsorted(counts_r, np.ceil(counts_l * ratio - 1e-9), side="left")
        j_stop = np.searchsorted(counts_r, np.floor(counts_l / ratio + 1e-9), side="right")
    else:
        j_start = np.zeros(len(left), dtype=np.int64)
        j_stop = np.full(len(left), len(right), dtype=np.int64)
    j_start, j_stop = j_start.astype(np.int64), j_stop.astype(np.int64)
    capacity = max(1024, 4 * (len(left) + len(right)))
    while True:
        out_i = np.empty(capacity, dtype=np.int64)
        out_j = np.empty(capacity, dtype=np.int64)
        out_score = np.empty(capacity, dtype=np.float64)
        found = _dice_block(
            sorted_left,
            sorted_right,
            counts_l,
            counts_r,
            float(threshold),
            j_start,
            j_stop,
            out_i,
            out_j,
            out_score,
        )
        if found <= capacity:
            break
        capacity = found
    return left_order[out_i[:found]], right_order[out_j[:found]], out_score[:found]
