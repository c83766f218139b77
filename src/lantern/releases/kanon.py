"""k-anonymous microdata: generalise the quasi-identifiers, suppress the rest, and say what was done.

Pure Python (and numpy), no Django: `anonymise(rows, k=10, max_suppression=0.05)` takes CTDC microdata rows
(`lantern.insights.microdata.ctdc_rows`) and returns the released rows and a report.

The quasi-identifiers (`QUASI_IDENTIFIERS`) each have a generalisation hierarchy, level 0 being the value as
recorded and the last level "*" (everything):

- ageBroad: CTDC band → wider band (0--17, 18--29, 30--47, 48+) → minor / adult (0--17, 18+) → "*";
- gender: as recorded → "*";
- citizenship and region (the country of exploitation; Lantern records no sub-national region): country →
  sub-region of the world → region of the world (UN M49, `data/world-regions.yaml`) → "*";
- yearOfRegistration: year → two-year period → five-year period → "*";
- exploitation: the type (e.g. "Forced labour: domestic work") → the broad type ("Forced labour") → "*".
A value that is not recorded is "Unknown" at every level but the last.

The search (full-domain generalisation with record suppression, in the style of Incognito, LeFevre et al.
2005): every combination of levels is a node of a lattice; a node satisfies k-anonymity when the records in
equivalence classes smaller than k are at most `max_suppression` of all records (those records are then
suppressed). Generalising a satisfying node keeps it satisfying, and information loss only grows with the
levels, so the best node is a minimal one (no satisfying node just below it). The nodes are visited bottom-up
by height; a node above a satisfying one is marked satisfying without being evaluated; the minimal satisfying
nodes are kept, and the one with the least information loss wins, then the fewest suppressed records, then the
first in a fixed order (so the result is deterministic). Information loss is Sweeney's precision loss: the
mean, over the quasi-identifiers, of level / highest level (0 = nothing generalised, 1 = everything "*").
The lattice has 4 × 2 × 4 × 3 × 4 × 4 = 1,536 nodes; typically a few hundred are evaluated.

Speed: records are first grouped by their level-0 quasi-identifier values; a node is evaluated over those
distinct combinations with numpy (a mixed-radix key per combination, then a weighted count), so 100,000
records take well under a second (bench/releases.py).

Released rows are sorted by their generalised values: the original order (by registration date) could link a
row back to a person.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

REGIONS_FILE = Path(__file__).with_name("data") / "world-regions.yaml"
ANY = "*"
UNKNOWN = "Unknown"
OTHER = "Other"
DEFAULT_K = 10
DEFAULT_MAX_SUPPRESSION = 0.05


@dataclass(frozen=True)
class Hierarchy:
    """A quasi-identifier and its generalisation levels: level_names[i] says what level i shows."""

    column: str
    level_names: tuple[str, ...]
    generalise: Callable[[str, int], str]

    @property
    def top(self) -> int:
        return len(self.level_names) - 1


# The hierarchies ---------------------------------------------------------------------------------------

AGE_WIDER = {
    "0--8": "0--17",
    "9--17": "0--17",
    "18--20": "18--29",
    "21--23": "18--29",
    "24--26": "18--29",
    "27--29": "18--29",
    "30--38": "30--47",
    "39--47": "30--47",
    "48+": "48+",
}
AGE_MAJORITY = {"0--17": "0--17", "18--29": "18+", "30--47": "18+", "48+": "18+"}


def _age(value: str, level: int) -> str:
    if level == 0 or value == UNKNOWN:
        return value
    if level == 1:
        return AGE_WIDER.get(value, UNKNOWN)
    return AGE_MAJORITY.get(AGE_WIDER.get(value, ""), UNKNOWN)


def _as_recorded(value: str, level: int) -> str:
    return value


@cache
def world_regions() -> dict[str, tuple[str, str]]:
    """ISO country code → (sub-region, region), from `data/world-regions.yaml`."""
    data = yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8"))
    return {
        code: (subregion, region)
        for region, subregions in data.items()
        for subregion, codes in subregions.items()
        for code in codes
    }


def _country(value: str, level: int) -> str:
    if level == 0 or value == UNKNOWN:
        return value
    subregion, region = world_regions().get(value, (OTHER, OTHER))
    return subregion if level == 1 else region


def _year(value: str, level: int) -> str:
    if level == 0 or value == UNKNOWN:
        return value
    width = 2 if level == 1 else 5
    start = int(value) // width * width
    return f"{start}–{start + width - 1}"


def _exploitation(value: str, level: int) -> str:
    return value if level == 0 else value.split(":", 1)[0]


def _with_top(generalise: Callable[[str, int], str], top: int) -> Callable[[str, int], str]:
    def at(value: str, level: int) -> str:
        return ANY if level >= top else generalise(value, level)

    return at


def _hierarchy(column: str, generalise: Callable[[str, int], str], *names: str) -> Hierarchy:
    levels = (*names, "*")
    return Hierarchy(column, levels, _with_top(generalise, len(levels) - 1))


QUASI_IDENTIFIERS: tuple[Hierarchy, ...] = (
    _hierarchy("ageBroad", _age, "age band", "wider age band", "minor / adult"),
    _hierarchy("gender", _as_recorded, "sex"),
    _hierarchy("citizenship", _country, "country", "sub-region of the world", "region of the world"),
    _hierarchy("exploitation", _exploitation, "type of exploitation", "broad type of exploitation"),
    _hierarchy("yearOfRegistration", _year, "year", "two-year period", "five-year period"),
    _hierarchy("region", _country, "country", "sub-region of the world", "region of the world"),
)
QI_COLUMNS = tuple(h.column for h in QUASI_IDENTIFIERS)
# Attributes released as they are: not identifying on their own, and not in a public register.
KEPT_COLUMNS = ("meansOfControlWithholdsDocuments",)

LABOUR_TYPES = {
    "typeOfLabourDomesticWork": "domestic work",
    "typeOfLabourBegging": "begging",
    "typeOfLabourIllicitActivities": "illicit activities",
}


def exploitation_of(row: dict[str, Any]) -> str:
    """A CTDC row's type of exploitation, "broad type" or "broad type: detail" (the hierarchy's level 0)."""
    if row.get("isSexAndLabour"):
        return "Sexual exploitation and forced labour"
    if row.get("isForcedLabour"):
        sectors = [name for key, name in LABOUR_TYPES.items() if row.get(key)]
        return f"Forced labour: {sectors[0]}" if len(sectors) == 1 else "Forced labour"
    for key, name in (
        ("isSexualExploit", "Sexual exploitation"),
        ("isForcedMarriage", "Forced marriage"),
        ("isOrganRemoval", "Organ removal"),
        ("isOtherExploit", "Other exploitation"),
    ):
        if row.get(key):
            return name
    return UNKNOWN


def quasi_identifiers_of(row: dict[str, Any]) -> tuple[str, ...]:
    """A CTDC row's level-0 quasi-identifier values, in `QI_COLUMNS` order ("Unknown": not recorded)."""

    def text(value: Any) -> str:
        return UNKNOWN if value in (None, "") else str(value)

    return (
        text(row.get("ageBroad")),
        text(row.get("gender")),
        text(row.get("citizenship")),
        exploitation_of(row),
        text(row.get("yearOfRegistration")),
        text(row.get("region", row.get("CountryOfExploitation"))),
    )


# The search --------------------------------------------------------------------------------------------


class NotAnonymisable(ValueError):
    """No generalisation gives k-anonymity within the suppression allowed (too few records for this k)."""


@dataclass(frozen=True)
class GeneralisationUsed:
    column: str
    level: int
    top: int
    level_name: str


@dataclass(frozen=True)
class KAnonymityReport:
    """What was done to the records: for the release's sidecar and the reviewer."""

    k: int
    max_suppression: float
    records_in: int
    records_released: int
    suppressed: int
    smallest_class: int
    classes: int
    information_loss: float
    nodes_evaluated: int
    generalisation: tuple[GeneralisationUsed, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "max_suppression": self.max_suppression,
            "records_in": self.records_in,
            "records_released": self.records_released,
            "suppressed": self.suppressed,
            "smallest_class": self.smallest_class,
            "classes": self.classes,
            "information_loss": round(self.information_loss, 4),
            "nodes_evaluated": self.nodes_evaluated,
            "generalisation": [
                {"column": g.column, "level": g.level, "top": g.top, "level_name": g.level_name}
                for g in self.generalisation
            ],
        }


class _Lattice:
    """The records grouped by level-0 values, coded per level, and the cached evaluation of nodes."""

    def __init__(self, records: Sequence[tuple[str, ...]], hierarchies: Sequence[Hierarchy], k: int) -> None:
        self.hierarchies, self.k = hierarchies, k
        combos: dict[tuple[str, ...], int] = {}
        self.record_combo = np.fromiter(
            (combos.setdefault(r, len(combos)) for r in records), dtype=np.int64, count=len(records)
        )
        self.combos = list(combos)
        self.weights = np.bincount(self.record_combo, minlength=len(self.combos))
        # codes[q][level]: for each distinct combination, the code of its generalised value; radix[q][level].
        self.codes: list[list[np.ndarray]] = []
        self.radix: list[list[int]] = []
        for q, hierarchy in enumerate(hierarchies):
            values = sorted({combo[q] for combo in self.combos})
            position = {value: i for i, value in enumerate(values)}
            of_combo = np.array([position[combo[q]] for combo in self.combos], dtype=np.int64)
            codes, radix = [], []
            for level in range(hierarchy.top + 1):
                shown = [hierarchy.generalise(value, level) for value in values]
                numbering = {value: i for i, value in enumerate(dict.fromkeys(shown))}
                codes.append(np.array([numbering[s] for s in shown], dtype=np.int64)[of_combo])
                radix.append(len(numbering))
            self.codes.append(codes)
            self.radix.append(radix)
        self.evaluated: dict[tuple[int, ...], int] = {}  # node → records suppressed there

    def classes(self, node: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """(class of each distinct combination, size of each class) at `node`."""
        key = np.zeros(len(self.combos), dtype=np.int64)
        for q, level in enumerate(node):
            key = key * self.radix[q][level] + self.codes[q][level]
        _, klass = np.unique(key, return_inverse=True)
        return klass, np.bincount(klass, weights=self.weights).astype(np.int64)

    def suppressed(self, node: tuple[int, ...]) -> int:
        if node not in self.evaluated:
            _, sizes = self.classes(node)
            self.evaluated[node] = int(sizes[sizes < self.k].sum())
        return self.evaluated[node]


def information_loss(node: Sequence[int], hierarchies: Sequence[Hierarchy]) -> float:
    """Sweeney's precision loss: mean of level / highest level over the quasi-identifiers."""
    return sum(level / h.top for level, h in zip(node, hierarchies, strict=True)) / len(hierarchies)


def least_generalisation(
    records: Sequence[tuple[str, ...]],
    *,
    k: int = DEFAULT_K,
    max_suppression: float = DEFAULT_MAX_SUPPRESSION,
    hierarchies: Sequence[Hierarchy] = QUASI_IDENTIFIERS,
) -> tuple[tuple[int, ...], _Lattice]:
    """The node (a level per quasi-identifier) to release at, and the lattice that evaluated it."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not 0 <= max_suppression <= 1:
        raise ValueError("max_suppression must be between 0 and 1")
    lattice = _Lattice(records, hierarchies, k)
    allowed = int(max_suppression * len(records))
    nodes = sorted(itertools.product(*(range(h.top + 1) for h in hierarchies)), key=sum)
    if not records or lattice.suppressed(nodes[-1]) > allowed:
        raise NotAnonymisable(f"{len(records)} records cannot be made {k}-anonymous")
    satisfied: set[tuple[int, ...]] = set()
    minimal: list[tuple[int, ...]] = []
    for node in nodes:  # bottom-up, by height
        below = ((*node[:q], level - 1, *node[q + 1 :]) for q, level in enumerate(node) if level)
        if any(lower in satisfied for lower in below):
            satisfied.add(node)  # a generalisation of a satisfying node: satisfies, never minimal
        elif lattice.suppressed(node) <= allowed:
            satisfied.add(node)
            minimal.append(node)
    best = min(minimal, key=lambda n: (information_loss(n, hierarchies), lattice.suppressed(n), n))
    return best, lattice


def anonymise(
    rows: Iterable[dict[str, Any]],
    *,
    k: int = DEFAULT_K,
    max_suppression: float = DEFAULT_MAX_SUPPRESSION,
    hierarchies: Sequence[Hierarchy] = QUASI_IDENTIFIERS,
    keep: Sequence[str] = KEPT_COLUMNS,
) -> tuple[list[dict[str, Any]], KAnonymityReport]:
    """k-anonymous rows (columns: the quasi-identifiers, then `keep`) from CTDC rows, and the report.

    Records in equivalence classes smaller than k at the chosen generalisation are suppressed (left out);
    there are at most `max_suppression` × the number of records of them. Raises `NotAnonymisable` when even
    "*" everywhere leaves fewer than k records.
    """
    rows = list(rows)
    records = [quasi_identifiers_of(row) for row in rows]
    node, lattice = least_generalisation(
        records, k=k, max_suppression=max_suppression, hierarchies=hierarchies
    )
    klass, sizes = lattice.classes(node)
    shown = [
        tuple(h.generalise(combo[q], node[q]) for q, h in enumerate(hierarchies)) for combo in lattice.combos
    ]
    released: list[dict[str, Any]] = []
    for row, combo in zip(rows, lattice.record_combo.tolist(), strict=True):
        if sizes[klass[combo]] < k:
            continue
        out = dict(zip((h.column for h in hierarchies), shown[combo], strict=True))
        out.update((column, row.get(column)) for column in keep)
        released.append(out)
    released.sort(key=lambda r: tuple(str(v) for v in r.values()))
    kept_sizes = sizes[sizes >= k]
    report = KAnonymityReport(
        k=k,
        max_suppression=max_suppression,
        records_in=len(rows),
        records_released=len(released),
        suppressed=len(rows) - len(released),
        smallest_class=int(kept_sizes.min()) if len(kept_sizes) else 0,
        classes=len(kept_sizes),
        information_loss=information_loss(node, hierarchies),
        nodes_evaluated=len(lattice.evaluated),
        generalisation=tuple(
            GeneralisationUsed(h.column, level, h.top, h.level_names[level])
            for h, level in zip(hierarchies, node, strict=True)
        ),
    )
    return released, report
