"""Comparison of record pairs, field by field, into a few agreement levels each.

:func:`prepare` normalises the records of one or two tables once (names through :mod:`lantern.linkage.names`)
and stores every text field as integer codes into a vocabulary shared by both tables, so that equal values
compare as equal integers and string similarities are computed once per distinct pair of values.

:func:`compare_pairs` gives, for each pair of record indices, one small integer per comparison in
:data:`COMPARISONS` (``-1`` where a value is missing on either side). Level 0 is always the strongest
agreement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

from lantern.linkage.names import canonical_name, latin, skeleton, word_skeletons
from lantern.linkage.records import PersonTable


@dataclass(frozen=True)
class Comparison:
    """One comparison: its level names (strongest first) and, per level, a typical share of true matches.

    ``typical_m`` is prior knowledge: EM starts from it and, for small files, stays near it (see
    :func:`lantern.linkage.model.fit`); on thousands of pairs the data decide.
    """

    name: str
    levels: tuple[str, ...]
    typical_m: tuple[float, ...]


NAME_LEVELS = ("exact", "same skeleton", "Jaro-Winkler >= 0.92", "Jaro-Winkler >= 0.80", "different")
NAME_M = (0.80, 0.10, 0.05, 0.03, 0.02)
COMPARISONS = (
    Comparison("given_name", NAME_LEVELS, NAME_M),
    Comparison("family_name", NAME_LEVELS, NAME_M),
    Comparison(
        "date_of_birth",
        (
            "exact",
            "agree where both known",
            "day and month swapped",
            "one digit off",
            "a year apart, same day and month",
            "same year",
            "different",
        ),
        (0.80, 0.08, 0.03, 0.04, 0.02, 0.02, 0.01),
    ),
    Comparison("sex", ("same", "different"), (0.97, 0.03)),
    Comparison("citizenship", ("same", "different"), (0.95, 0.05)),
    Comparison(
        "address",
        ("same words", "word similarity >= 90", "word similarity >= 70", "different"),
        (0.60, 0.15, 0.10, 0.15),
    ),
    Comparison(
        "locality",
        ("exact", "Jaro-Winkler >= 0.90", "Jaro-Winkler >= 0.75", "different"),
        (0.80, 0.10, 0.04, 0.06),
    ),
    Comparison("postcode", ("exact", "one character off or two swapped", "different"), (0.80, 0.10, 0.10)),
    Comparison("region", ("same", "different"), (0.95, 0.05)),
)
# When the crossed names (given with family) agree this much better than the straight ones, the pair is
# compared with the names of one side swapped: clerks often put a family name first.
SWAP_MARGIN = 0.3


@dataclass
class Vocabulary:
    """Distinct normalised values of one kind and, per record, the code of its value (-1 if missing)."""

    values: list[str]
    codes: np.ndarray


@dataclass
class Features:
    """Normalised fields of the records of one table, or of two tables one after the other."""

    size: int
    n_left: int
    names: list[str]
    given: np.ndarray
    family: np.ndarray
    skeletons: list[str]
    given_skeleton: np.ndarray
    family_skeleton: np.ndarray
    birth_year: np.ndarray
    birth_month: np.ndarray
    birth_day: np.ndarray
    fields: dict[str, Vocabulary]
    # Per record, its names as one sorted tuple of word skeletons (given and family together): a code into
    # ``full_names`` (-1 without any name).
    full_names: list[tuple[str, ...]] = field(default_factory=list)
    full_name: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))

    @property
    def is_link(self) -> bool:
        return self.n_left < self.size


def _encode(values: Sequence[str], normalise: Callable[[str], str], vocabulary: dict[str, int]) -> np.ndarray:
    """Codes of normalised values in ``vocabulary`` (extended as needed); each raw value normalised once."""
    raw_codes: dict[str, int] = {}
    for value in values:
        if value not in raw_codes:
            normal = normalise(value) if value else ""
            raw_codes[value] = vocabulary.setdefault(normal, len(vocabulary)) if normal else -1
    return np.fromiter((raw_codes[value] for value in values), dtype=np.int32, count=len(values))


# Abbreviations clerks use in addresses, written out: "5 Nile St" and "5 Nile Street" are the same words.
ADDRESS_ABBREVIATIONS = {
    "st": "street",
    "str": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "pl": "place",
    "sq": "square",
    "ct": "court",
    "cres": "crescent",
    "dr": "drive",
    "blvd": "boulevard",
    "hwy": "highway",
    "apt": "apartment",
    "ul": "ulitsa",
    "vul": "vulytsia",
}


def _sorted_words(value: str) -> str:
    # Addresses come in different orders ("5 Main St, Flat 2" / "Flat 2, 5 Main St"): compare word sets.
    return " ".join(sorted(ADDRESS_ABBREVIATIONS.get(word, word) for word in latin(value).split()))


def _postcode(value: str) -> str:
    return latin(value).replace(" ", "")


def prepare(left: PersonTable, right: PersonTable | None = None) -> Features:
    """Normalise the records of ``left`` (and ``right``, placed after them) for comparison and blocking."""
    tables = [left] if right is None else [left, right]

    def joined(column: str) -> list[str]:
        return [value for table in tables for value in table.column(column)]

    names: dict[str, int] = {}
    given = _encode(joined("given_name"), canonical_name, names)
    family = _encode(joined("family_name"), canonical_name, names)
    name_list = list(names)
    skeletons: dict[str, int] = {}
    name_skeleton = _encode(name_list, skeleton, skeletons)
    with_missing = np.append(name_skeleton, -1)  # index -1 (a missing name) has a missing skeleton
    name_words = [word_skeletons(name) for name in name_list] + [()]  # code -1: no name
    full_vocabulary: dict[tuple[str, ...], int] = {}
    full_name = np.fromiter(
        (
            full_vocabulary.setdefault(words, len(full_vocabulary)) if words else -1
            for words in (
                tuple(sorted(name_words[g] + name_words[f]))
                for g, f in zip(given.tolist(), family.tolist(), strict=True)
            )
        ),
        dtype=np.int32,
        count=len(given),
    )
    fields = {}
    for column, normalise in (
        ("sex", lambda value: latin(value)[:1]),
        ("citizenship", latin),
        ("address", _sorted_words),
        ("locality", latin),
        ("postcode", _postcode),
        ("region", latin),
    ):
        vocabulary: dict[str, int] = {}
        codes = _encode(joined(column), normalise, vocabulary)
        fields[column] = Vocabulary(list(vocabulary), codes)
    return Features(
        size=sum(len(table) for table in tables),
        n_left=len(left),
        names=name_list,
        given=given,
        family=family,
        skeletons=list(skeletons),
        given_skeleton=with_missing[given],
        family_skeleton=with_missing[family],
        birth_year=np.concatenate([table.birth_year for table in tables]).astype(np.int32),
        birth_month=np.concatenate([table.birth_month for table in tables]).astype(np.int32),
        birth_day=np.concatenate([table.birth_day for table in tables]).astype(np.int32),
        fields=fields,
        full_names=list(full_vocabulary),
        full_name=full_name,
    )


def _similarity(
    values: list[str], codes_a: np.ndarray, codes_b: np.ndarray, scorer: Callable, *, distinct: bool = True
) -> np.ndarray:
    """``scorer`` for each pair of codes (0 where a code is -1).

    With ``distinct`` (for values that repeat, like names) each distinct pair of values is scored once.
    """
    result = np.zeros(len(codes_a), dtype=np.float32)
    present = (codes_a >= 0) & (codes_b >= 0)
    a = codes_a[present].astype(np.int64)
    b = codes_b[present].astype(np.int64)
    if not len(a):
        return result
    if distinct:
        # Similarities here are symmetric: order each pair so (x, y) and (y, x) are scored once.
        keys, inverse = np.unique(np.minimum(a, b) * len(values) + np.maximum(a, b), return_inverse=True)
        a, b = np.divmod(keys, len(values))
    scores = process.cpdist(
        [values[code] for code in a], [values[code] for code in b], scorer=scorer, workers=-1
    )
    scores = np.asarray(scores, dtype=np.float32)
    result[present] = scores[inverse] if distinct else scores
    return result


def _banded(
    exact: np.ndarray, score: np.ndarray, thresholds: Sequence[float], missing: np.ndarray, *, first: int = 1
) -> np.ndarray:
    """Level 0 where exact, then ``first``, ``first + 1``... for each threshold met, the last level
    otherwise."""
    level = np.full(len(score), first + len(thresholds), dtype=np.int8)
    for offset, threshold in reversed(list(enumerate(thresholds))):
        level[score >= threshold] = first + offset
    level[exact] = 0
    level[missing] = -1
    return level


def _name_levels(features: Features, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Levels of given and family name, comparing crossed names where a side has them swapped."""
    gi, fi, gj, fj = features.given[i], features.family[i], features.given[j], features.family[j]
    sgi, sfi = features.given_skeleton[i], features.family_skeleton[i]
    sgj, sfj = features.given_skeleton[j], features.family_skeleton[j]

    def score(a, b, skeleton_a, skeleton_b):
        similarity = _similarity(features.names, a, b, JaroWinkler.normalized_similarity)
        return np.where((skeleton_a == skeleton_b) & (skeleton_a >= 0), np.float32(1.0), similarity)

    straight_given, straight_family = score(gi, gj, sgi, sgj), score(fi, fj, sfi, sfj)
    crossed_given, crossed_family = score(gi, fj, sgi, sfj), score(fi, gj, sfi, sgj)
    swapped = (crossed_given + crossed_family) > (straight_given + straight_family + SWAP_MARGIN)
    gj, fj = np.where(swapped, fj, gj), np.where(swapped, gj, fj)
    sgj, sfj = np.where(swapped, sfj, sgj), np.where(swapped, sgj, sfj)
    given_score = np.where(swapped, crossed_given, straight_given)
    family_score = np.where(swapped, crossed_family, straight_family)
    levels = []
    for a, b, skeleton_a, skeleton_b, similarity in (
        (gi, gj, sgi, sgj, given_score),
        (fi, fj, sfi, sfj, family_score),
    ):
        # Level 1 (same skeleton) is set below; similarity is 1.0 there, so no threshold can reach it.
        level = _banded(a == b, similarity, (np.inf, 0.92, 0.80), (a < 0) | (b < 0))
        level[(level > 1) & (skeleton_a == skeleton_b)] = 1
        levels.append(level)
    _full_name_levels(features, i, j, levels[0], levels[1])
    return levels[0], levels[1]


def _full_name_levels(
    features: Features, i: np.ndarray, j: np.ndarray, given: np.ndarray, family: np.ndarray
):
    """Compare the names of a pair as one set of words, whatever field each word is in.

    The same words split differently between the fields (``Haile | Mariam Tesfay`` and ``Haile Mariam |
    Tesfay``; ``Thị Lan | Nguyễn`` and ``Nguyen | Lan``) agree as if each name had the same skeleton; one
    record holding all the other's words and more (one of several given names: ``Mohammed Ahmed | Hassan``
    and ``Mohammed | Hassan``) counts as similar names (level 2). Only levels that are weaker change.
    """
    if not len(features.full_names) or not len(i):
        return
    a, b = features.full_name[i], features.full_name[j]
    both = (a >= 0) & (b >= 0) & (given >= 0) & (family >= 0)
    same = both & (a == b) & ((given > 1) | (family > 1))
    given[same] = np.minimum(given[same], 1)
    family[same] = np.minimum(family[same], 1)
    sizes = np.array([len(words) for words in features.full_names] + [0], dtype=np.int32)
    # Worth a look: different word sets, one of three words or more, names not yet both similar.
    look = both & (a != b) & (np.maximum(sizes[a], sizes[b]) >= 3) & ((given > 2) | (family > 2))
    if not look.any():
        return
    pairs = np.unique(np.stack([a[look], b[look]], axis=1), axis=0)
    contained = set()
    for x, y in pairs.tolist():
        small, large = sorted((features.full_names[x], features.full_names[y]), key=len)
        if len(small) >= 2 and _is_sub_multiset(small, large):
            contained.add((x, y))
    if not contained:
        return
    hit = np.zeros(len(i), dtype=bool)
    where = np.flatnonzero(look)
    hit[where] = [(x, y) in contained for x, y in zip(a[look].tolist(), b[look].tolist(), strict=True)]
    given[hit] = np.minimum(given[hit], 2)
    family[hit] = np.minimum(family[hit], 2)


def _is_sub_multiset(small: tuple[str, ...], large: tuple[str, ...]) -> bool:
    rest = list(large)
    for word in small:
        if word not in rest:
            return False
        rest.remove(word)
    return True


def _date_levels(features: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    yi, mi, di = features.birth_year[i], features.birth_month[i], features.birth_day[i]
    yj, mj, dj = features.birth_year[j], features.birth_month[j], features.birth_day[j]
    complete = (mi > 0) & (di > 0) & (mj > 0) & (dj > 0)
    same_year = yi == yj
    months_agree = (mi == mj) | (mi == 0) | (mj == 0)
    days_agree = (di == dj) | (di == 0) | (dj == 0)
    # Digits of YYYYMMDD that differ; one digit off or two neighbouring digits exchanged count as a typo.
    digits_i = _digits(yi * 10000 + mi * 100 + di)
    digits_j = _digits(yj * 10000 + mj * 100 + dj)
    differ = digits_i != digits_j
    n_differ = differ.sum(axis=1)
    neighbours_exchanged = np.zeros(len(i), dtype=bool)
    for k in range(7):
        neighbours_exchanged |= (
            differ[:, k]
            & differ[:, k + 1]
            & (digits_i[:, k] == digits_j[:, k + 1])
            & (digits_i[:, k + 1] == digits_j[:, k])
        )
    typo = complete & ((n_differ == 1) | ((n_differ == 2) & neighbours_exchanged))
    level = np.full(len(i), 6, dtype=np.int8)
    level[same_year] = 5
    level[complete & (np.abs(yi - yj) == 1) & (mi == mj) & (di == dj)] = 4
    level[typo] = 3
    level[complete & same_year & (mi == dj) & (di == mj)] = 2
    level[same_year & months_agree & days_agree] = 1
    level[complete & same_year & (mi == mj) & (di == dj)] = 0
    level[(yi == 0) | (yj == 0)] = -1
    return level


def _digits(numbers: np.ndarray) -> np.ndarray:
    powers = 10 ** np.arange(7, -1, -1)
    return (numbers[:, None] // powers) % 10


def _field_levels(
    features: Features,
    column: str,
    i: np.ndarray,
    j: np.ndarray,
    scorer: Callable | None = None,
    thresholds: Sequence[float] = (),
    *,
    sign: float = 1.0,
    distinct: bool = True,
) -> np.ndarray:
    """Levels of one text field: exact, then one level per similarity threshold met (``sign=-1`` for
    distances)."""
    vocabulary = features.fields[column]
    a, b = vocabulary.codes[i], vocabulary.codes[j]
    missing = (a < 0) | (b < 0)
    if scorer is None:
        score = np.zeros(len(i), dtype=np.float32)
    else:
        score = sign * _similarity(vocabulary.values, a, b, scorer, distinct=distinct)
    return _banded(a == b, score, [sign * threshold for threshold in thresholds], missing)


def compare_pairs(features: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Agreement levels, one row per pair ``(i[k], j[k])`` and one column per entry of :data:`COMPARISONS`."""
    given, family = _name_levels(features, i, j)
    columns = [
        given,
        family,
        _date_levels(features, i, j),
        _field_levels(features, "sex", i, j),
        _field_levels(features, "citizenship", i, j),
        _field_levels(features, "address", i, j, fuzz.ratio, (90, 70), distinct=False),
        _field_levels(features, "locality", i, j, JaroWinkler.normalized_similarity, (0.9, 0.75)),
        _field_levels(features, "postcode", i, j, OSA.distance, (1,), sign=-1.0),
        _field_levels(features, "region", i, j),
    ]
    levels = np.stack(columns, axis=1)
    _drop_implied_agreement(levels)
    return levels


_ADDRESS, _LOCALITY, _POSTCODE, _REGION = (
    [comparison.name for comparison in COMPARISONS].index(name)
    for name in ("address", "locality", "postcode", "region")
)


def _drop_implied_agreement(levels: np.ndarray) -> None:
    """Count agreement on a place once: the same address implies the same locality, postcode and region.

    Fellegi–Sunter adds comparisons up as if independent; for the parts of one address they are not, and
    counting them all would let relatives living together outweigh their different names and dates of birth.
    So an agreeing locality, postcode or region adds nothing when the address already agrees (a disagreeing
    one still counts against). Measured: on 100,000 synthetic records with households, pairwise precision
    0.984 → 0.996 and cluster F1 0.965 → 0.984; on FEBRL F1 unchanged (0.9986 → 0.9988, 0.9961 → 0.9963).
    """
    address_agrees = (levels[:, _ADDRESS] == 0) | (levels[:, _ADDRESS] == 1)
    for column in (_LOCALITY, _POSTCODE, _REGION):
        agrees = levels[:, column] == 0
        levels[agrees & address_agrees, column] = -1
