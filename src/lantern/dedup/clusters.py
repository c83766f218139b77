"""From scored pairs of cases to proposals and persons, and stable person keys. Pure Python (no Django).

:func:`proposal` decides what a scored pair becomes: linked automatically, sent to review, or dropped. The
match probability decides first, and two rules of evidence then hold it back: a pair whose names do not both
agree (exactly, in consonant skeleton, or with a Jaro–Winkler similarity of 0.92 or more) or whose dates of
birth disagree is never linked without a person looking at it; and a pair that agrees on fewer than two of
given name, family name and date of birth (a name at least Jaro–Winkler 0.80, a date at most a typo or a year
apart) is dropped. Why: the Fellegi–Sunter parameters are learnt without
labels, and on data with almost no true duplicates EM can settle on the wrong split. On 10,230 seeded cases
(30 planted duplicates) it learnt "same given name" as a match: 107,636 automatic links and one "person" of
8,648 cases. A probability alone must not merge persons whose names disagree.

A person is a connected component of the links: confirmed merges, then automatic links from the strongest
down; a link that would put two cases that a coordinator kept apart into one person is not followed, so a
"different persons" decision holds even when a chain of other links would join them. Automatic links first
go through :func:`lantern.linkage.cluster.person_clusters`, which drops the weak links of long thin chains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from lantern.linkage.cluster import person_clusters

Pair = tuple[int, int]
LINK, REVIEW = "linked", "review"
# Agreement levels (see lantern.linkage.compare.COMPARISONS). Names agree up to "Jaro-Winkler >= 0.92" for a
# link and up to "Jaro-Winkler >= 0.80" as evidence; dates of birth agree up to "a year apart, same day and
# month" (only "same year" and "different" are left out).
NAME_AGREES = 2
NAME_SIMILAR = 3
DATE_SIMILAR = 4
DATE_DIFFERENT = 6
EVIDENCE = {"given_name": NAME_SIMILAR, "family_name": NAME_SIMILAR, "date_of_birth": DATE_SIMILAR}


def proposal(probability: float, levels: Mapping[str, int], lower: float, upper: float) -> str | None:
    """``"linked"``, ``"review"`` or None (dropped) for a pair with this probability and agreement levels."""
    if probability < lower:
        return None
    agreeing = sum(1 for name, similar in EVIDENCE.items() if name in levels and levels[name] <= similar)
    if agreeing < 2:
        return None
    names_agree = all(levels.get(name, NAME_SIMILAR) <= NAME_AGREES for name in ("given_name", "family_name"))
    dates_agree = levels.get("date_of_birth", 0) < DATE_DIFFERENT
    if probability >= upper and names_agree and dates_agree:
        return LINK
    return REVIEW


@dataclass
class Grouping:
    """Cases grouped into persons of two or more cases; links not followed because of a keep-apart."""

    groups: list[list[int]]
    blocked_links: int = 0
    members: dict[int, int] = field(default_factory=dict)  # case id → index into groups


class _Persons:
    """Union–find over case ids that refuses a union joining two cases kept apart."""

    def __init__(self, apart: Iterable[Pair]) -> None:
        self.parent: dict[int, int] = {}
        self.members: dict[int, set[int]] = {}
        self.apart: dict[int, set[int]] = {}
        for a, b in apart:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)

    def root(self, case: int) -> int:
        self.parent.setdefault(case, case)
        self.members.setdefault(case, {case})
        while self.parent[case] != case:
            self.parent[case] = self.parent[self.parent[case]]
            case = self.parent[case]
        return case

    def join(self, a: int, b: int) -> bool:
        """Join the persons of a and b; False (and nothing changes) when that would join a kept-apart pair."""
        root_a, root_b = self.root(a), self.root(b)
        if root_a == root_b:
            return True
        small, large = sorted((root_a, root_b), key=lambda root: len(self.members[root]))
        if any(self.apart.get(case, set()) & self.members[large] for case in self.members[small]):
            return False
        self.parent[small] = large
        self.members[large] |= self.members.pop(small)
        return True


def thin_chain_links(links: list[tuple[int, int, float]], threshold: float) -> list[tuple[int, int, float]]:
    """The automatic links kept by the linkage package's clustering (thin chains split at stricter
    thresholds)."""
    if not links:
        return []
    ids = sorted({case for a, b, _p in links for case in (a, b)})
    index = {case: position for position, case in enumerate(ids)}
    left = np.array([index[a] for a, _b, _p in links], dtype=np.int64)
    right = np.array([index[b] for _a, b, _p in links], dtype=np.int64)
    probability = np.array([p for _a, _b, p in links], dtype=np.float64)
    labels = person_clusters(len(ids), left, right, probability, threshold)
    return [link for link, a, b in zip(links, left, right, strict=True) if labels[a] == labels[b]]


def group_persons(
    automatic: Iterable[tuple[int, int, float]],
    merged: Iterable[Pair],
    apart: Iterable[Pair],
    *,
    threshold: float,
) -> Grouping:
    """Persons from automatic links (with their probability), confirmed merges and kept-apart pairs."""
    persons = _Persons(apart)
    blocked = 0
    for a, b in sorted(merged):
        blocked += not persons.join(a, b)
    kept = thin_chain_links(list(automatic), threshold)
    for a, b, _p in sorted(kept, key=lambda link: (-link[2], link[0], link[1])):
        blocked += not persons.join(a, b)
    by_root: dict[int, list[int]] = {}
    for case in persons.parent:
        by_root.setdefault(persons.root(case), []).append(case)
    groups = sorted((sorted(cases) for cases in by_root.values() if len(cases) > 1), key=lambda g: g[0])
    members = {case: number for number, group in enumerate(groups) for case in group}
    return Grouping(groups=groups, blocked_links=blocked, members=members)


def person_keys(groups: list[list[int]], previous: Mapping[int, str]) -> dict[int, str]:
    """A key per case of every group, kept from the previous keys where possible.

    A group keeps the key most of its cases had (bigger groups choose first; a key goes to one group only);
    a group with no free previous key is named after its first case, ``person-<lowest case id>``.
    """
    order = sorted(range(len(groups)), key=lambda number: (-len(groups[number]), groups[number][0]))
    taken: set[str] = set()
    chosen: dict[int, str] = {}
    for number in order:
        votes = Counter(previous[case] for case in groups[number] if case in previous)
        for key, _count in sorted(votes.items(), key=lambda item: (-item[1], item[0])):
            if key not in taken:
                chosen[number] = key
                taken.add(key)
                break
    for number in order:
        if number in chosen:
            continue
        key = base = f"person-{groups[number][0]}"
        suffix = 1
        while key in taken:
            suffix += 1
            key = f"{base}-{suffix}"
        chosen[number] = key
        taken.add(key)
    return {case: chosen[number] for number, group in enumerate(groups) for case in group}
