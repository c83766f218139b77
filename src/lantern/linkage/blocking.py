"""Candidate pairs: the record pairs worth comparing, found by several blocking rules OR-ed together.

Each rule gives every record a key built from a few normalised fields; records that share a key in any rule
become a candidate pair. The rules are chosen so that one typo, a transliterated name, swapped given and
family names, a partial date of birth or swapped day and month still leave at least one rule in which the two
records of a person share a key:

- both name skeletons (in either order) and the year of birth;
- both name skeletons and the day and month of birth (in either order): a typo in the year;
- the date of birth (day and month in either order) and the initials of the names;
- the postcode, the year of birth and the initial of either name, for records whose names and date disagree.

Blocks larger than ``max_block`` records are skipped in that rule (the other rules still cover their records):
a key that thousands of records share says little and would cost millions of comparisons. Rules on one field
alone ("broad": either name, the date of birth) rescue pairs in which everything else disagrees; in a big file
their blocks are big, so they keep only their smallest blocks within a budget of pairs per record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lantern.linkage.compare import Features

DEFAULT_MAX_BLOCK = 1000
# Rules on a single field (marked "broad") give big blocks in big files. They keep their smallest blocks, up
# to a budget of pairs: everything in a file of thousands, little in a file of millions.
BROAD_MAX_BLOCK = 100
BROAD_PAIRS_PER_RECORD = 30
BROAD_MAX_PAIRS = 3_000_000
# Key ranges of the date parts: a date kept as written (``1945-04-93``) may hold any two-digit day or month.
YEARS = 10_000
DAY_OR_MONTH = 100


def broad_pair_budget(size: int) -> int:
    """Pairs a broad rule may add for ``size`` records."""
    return min(BROAD_PAIRS_PER_RECORD * size, BROAD_MAX_PAIRS)


@dataclass
class CandidatePairs:
    """Record index pairs ``(left[k], right[k])``; in a link, left indices are below ``n_left`` <= right
    ones."""

    left: np.ndarray
    right: np.ndarray
    skipped_blocks: int = 0

    def __len__(self) -> int:
        return len(self.left)


def _combine(columns: Sequence[tuple[np.ndarray, int]]) -> np.ndarray:
    """One int64 key per record from integer columns of known range (value -1 = missing = no key)."""
    key = np.zeros(len(columns[0][0]), dtype=np.int64)
    missing = np.zeros(len(key), dtype=bool)
    for values, size in columns:
        missing |= values < 0
        key = key * size + values
    key[missing] = -1
    return key


def _initial_codes(features: Features) -> np.ndarray:
    """Per skeleton code, its first letter as a number 1..26 (0 for a digit or an empty skeleton); -1
    appended."""
    initials = [ord(text[0]) - 96 if text and text[0].isalpha() else 0 for text in features.skeletons]
    return np.array([*initials, -1], dtype=np.int64)


def _house_numbers(features: Features) -> np.ndarray:
    """Per record, the first number in its address as an int (-1 when there is none)."""
    numbers = []
    for address in features.fields["address"].values:
        first = next((word for word in address.split() if word.isdigit()), "")
        numbers.append(int(first[:6]) if first else -1)
    return np.array([*numbers, -1], dtype=np.int64)[features.fields["address"].codes]


def blocking_keys(features: Features) -> dict[str, list[np.ndarray]]:
    """The keys of every record in every rule (-1 where it has none); a rule may give a record several
    keys."""
    n_skeletons = len(features.skeletons) + 1
    given, family = features.given_skeleton.astype(np.int64), features.family_skeleton.astype(np.int64)
    low_name, high_name = np.minimum(given, family), np.maximum(given, family)
    year = np.where(features.birth_year > 0, features.birth_year, -1).astype(np.int64)
    month, day = features.birth_month.astype(np.int64), features.birth_day.astype(np.int64)
    known_day = (month > 0) & (day > 0)
    low_md = np.where(known_day, np.minimum(month, day), -1)
    high_md = np.where(known_day, np.maximum(month, day), -1)
    initials = _initial_codes(features)
    given_initial, family_initial = initials[given] + 1, initials[family] + 1  # 0 = no name
    low_initial, high_initial = (
        np.minimum(given_initial, family_initial),
        np.maximum(given_initial, family_initial),
    )
    postcode = features.fields["postcode"].codes.astype(np.int64)
    n_postcodes = len(features.fields["postcode"].values) + 1
    house = _house_numbers(features)
    locality = features.fields["locality"].codes.astype(np.int64)
    n_localities = len(features.fields["locality"].values) + 1
    names = [(low_name, n_skeletons), (high_name, n_skeletons)]
    date = [(year, YEARS), (low_md, DAY_OR_MONTH), (high_md, DAY_OR_MONTH)]
    return {
        "names and year": [_combine([*names, (year, YEARS)])],
        "names and day-month": [_combine([*names, (low_md, DAY_OR_MONTH), (high_md, DAY_OR_MONTH)])],
        "names and postcode": [_combine([*names, (postcode, n_postcodes)])],
        "names and locality": [_combine([*names, (locality, n_localities)])],
        "names (broad)": [_combine(names)],
        "date and initials": [
            _combine([*date, (np.where(high_initial > 0, low_initial, -1), 28), (high_initial, 28)])
        ],
        "date and either name": [_combine([*date, (name, n_skeletons)]) for name in (given, family)],
        "date and postcode": [_combine([*date, (postcode, n_postcodes)])],
        "either name (broad)": [name for name in (given, family)],
        "date (broad)": [_combine(date)],
        "either name and postcode": [
            _combine([(name, n_skeletons), (postcode, n_postcodes)]) for name in (given, family)
        ],
        "either name and locality": [
            _combine([(name, n_skeletons), (locality, n_localities)]) for name in (given, family)
        ],
        "postcode, year and either initial": [
            _combine([(postcode, n_postcodes), (year, YEARS), (np.where(initial > 0, initial, -1), 28)])
            for initial in (given_initial, family_initial)
        ],
        "postcode and house number": [_combine([(postcode, n_postcodes), (house, 1_000_000)])],
        "locality and house number": [_combine([(locality, n_localities), (house, 1_000_000)])],
    }


def _pairs_sharing_key(
    keys: list[np.ndarray],
    size: int,
    n_left: int,
    is_link: bool,
    max_block: int,
    max_pairs: int | None = None,
) -> tuple[np.ndarray, int]:
    """Pair codes ``i * size + j`` (i < j) of records sharing a key, and the number of blocks skipped."""
    all_keys = np.concatenate(keys)
    records = np.flatnonzero(all_keys >= 0)
    records = records[np.argsort(all_keys[records], kind="stable")]
    sorted_keys = all_keys[records]
    if not len(sorted_keys):  # no record has this key (e.g. no postcode anywhere): no block, no pair
        return np.empty(0, dtype=np.int64), 0
    records = records % size  # a record's second key (of several) sits one table length further
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_keys)])
    if is_link:
        # Only blocks with records of both tables give pairs.
        left_count = np.add.reduceat((records < n_left).astype(np.int64), starts) if len(starts) else sizes
        useful = (left_count > 0) & (left_count < sizes)
    else:
        useful = sizes >= 2
    too_big = useful & (sizes > max_block)
    if max_pairs is not None:
        # Smallest blocks first, until the pair budget is spent.
        pairs_in = np.where(useful & ~too_big, sizes * (sizes - 1) // 2, 0)
        by_size = np.argsort(sizes, kind="stable")
        over_budget = np.zeros(len(sizes), dtype=bool)
        over_budget[by_size] = np.cumsum(pairs_in[by_size]) > max_pairs
        too_big |= useful & over_budget
    keep = useful & ~too_big
    starts, sizes = starts[keep], sizes[keep]
    # Every element of a block pairs with the elements after it in the block.
    element_start = np.repeat(starts, sizes)
    element_size = np.repeat(sizes, sizes)
    position = element_start + (np.arange(len(element_start)) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    partners = element_size - 1 - (position - element_start)
    first = np.repeat(position, partners)
    offsets = np.arange(len(first)) - np.repeat(np.cumsum(partners) - partners, partners)
    second = first + 1 + offsets
    a, b = records[first], records[second]
    low, high = np.minimum(a, b), np.maximum(a, b)
    wanted = (low < n_left) & (high >= n_left) if is_link else low < high
    low, high = low[wanted], high[wanted]
    return low.astype(np.int64) * size + high, int(too_big.sum())


def candidate_pairs(features: Features, *, max_block: int = DEFAULT_MAX_BLOCK) -> CandidatePairs:
    """Distinct record pairs sharing a key in at least one blocking rule."""
    codes = []
    skipped = 0
    for name, keys in blocking_keys(features).items():
        broad = name.endswith("(broad)")
        pair_codes, too_big = _pairs_sharing_key(
            keys,
            features.size,
            features.n_left,
            features.is_link,
            min(max_block, BROAD_MAX_BLOCK) if broad else max_block,
            broad_pair_budget(features.size) if broad else None,
        )
        codes.append(pair_codes)
        skipped += too_big
    unique = np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    left, right = np.divmod(unique, features.size)
    return CandidatePairs(left=left, right=right, skipped_blocks=skipped)
