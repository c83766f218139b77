"""Differentially private count tables of persons, with OpenDP. Pure Python, no Django.

`dp_tables(rows, epsilon=1.0, years=range(2016, 2026))` counts CTDC rows (ONE ROW PER PERSON, as
`lantern.insights.microdata.ctdc_rows` gives them) in the tables of `TABLES` and adds discrete Laplace noise.

Privacy accounting (neighbouring data sets differ by one person):
- Every cell list is fixed in advance (the years asked for × a fixed list of categories), never taken from the
  data: a cell that exists only because someone is in it would give that person away. Rows outside the years
  are not counted.
- Each person falls in exactly one cell of each table, so one person changes a table's vector of counts by 1
  in L1 distance (sensitivity 1). The cells of one table are disjoint (parallel composition): the table costs
  the epsilon of one count.
- The total epsilon is split equally over the tables (sequential composition): epsilon_table = epsilon /
  number of tables, noise scale = 1 / epsilon_table. The privacy loss of each table is what OpenDP's own
  measurement reports (`measurement.map(1)`), and their sum is checked not to exceed the total.
- The expected error is stated on every cell: with 95 % confidence a noisy count is within ± `error_95` of the
  true count (`opendp.accuracy.discrete_laplacian_scale_to_accuracy(scale, alpha=0.05)`).
- Post-processing (costs no privacy): negative noisy counts are shown as 0 (a count of persons cannot be
  negative); the counts are integers already, so nothing is rounded. Totals are NOT re-computed from the
  noisy cells, and the cells of a row need not add up to a published total: there is none.

Reproducibility. OpenDP draws its noise from its own cryptographically secure generator, seeded by the
operating system; it offers no seed (on purpose: a known seed lets anyone subtract the noise again). So:
- without a seed (the only mode that may be published), the noise comes from OpenDP's discrete Laplace
  measurement (`opendp.measurements.make_laplace` on integer vectors) and two runs differ;
- with a seed, the same distribution (discrete Laplace with the same scale: the difference of two geometric
  variables with p = 1 − exp(−1/scale)) is drawn from a seeded numpy generator, so a reviewer or a test gets
  the same tables again. Such output is marked "reproducible — not for publication": numpy's generator is not
  cryptographically secure and the seed is stored with the release. The release workflow refuses to publish
  it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import opendp.prelude as dp
from opendp.accuracy import discrete_laplacian_scale_to_accuracy

from .kanon import UNKNOWN, exploitation_of, world_regions

dp.enable_features("contrib")

ALPHA = 0.05  # the stated error holds with 1 − ALPHA = 95 % confidence
DEFAULT_EPSILON = 1.0
SEX = ("Female", "Male", UNKNOWN)
AGE_GROUP = ("Minor", "Adult", UNKNOWN)
BROAD_EXPLOITATION = (
    "Forced labour",
    "Sexual exploitation",
    "Sexual exploitation and forced labour",
    "Forced marriage",
    "Organ removal",
    "Other exploitation",
    UNKNOWN,
)
WORLD_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania", "Other", UNKNOWN)


def _sex(row: dict[str, Any]) -> str:
    return row.get("gender") if row.get("gender") in SEX else UNKNOWN


def _age_group(row: dict[str, Any]) -> str:
    return row.get("majorityStatus") if row.get("majorityStatus") in AGE_GROUP else UNKNOWN


def _broad_exploitation(row: dict[str, Any]) -> str:
    return exploitation_of(row).split(":", 1)[0]


def _citizenship_region(row: dict[str, Any]) -> str:
    code = row.get("citizenship")
    if not code:
        return UNKNOWN
    return world_regions().get(code, ("Other", "Other"))[1]


@dataclass(frozen=True)
class TableSpec:
    """A table of counts of persons: year of registration (rows) × the fixed `categories` (columns)."""

    name: str
    title: str
    categories: tuple[str, ...]
    category_of: Callable[[dict[str, Any]], str]


TABLES: tuple[TableSpec, ...] = (
    TableSpec("sex", "Persons by year of registration and sex", SEX, _sex),
    TableSpec("age", "Persons by year of registration and age group", AGE_GROUP, _age_group),
    TableSpec(
        "exploitation",
        "Persons by year of registration and type of exploitation",
        BROAD_EXPLOITATION,
        _broad_exploitation,
    ),
    TableSpec(
        "citizenship",
        "Persons by year of registration and region of citizenship",
        WORLD_REGIONS,
        _citizenship_region,
    ),
)


@dataclass(frozen=True)
class NoisyTable:
    spec: TableSpec
    years: tuple[int, ...]
    counts: tuple[tuple[int, ...], ...]  # one tuple per year, in the order of spec.categories
    epsilon: float  # the privacy loss of this table, as OpenDP's measurement reports it


@dataclass(frozen=True)
class DPTables:
    """The noisy tables, and what a reader needs to judge them."""

    tables: tuple[NoisyTable, ...]
    epsilon: float  # the total asked for
    epsilon_spent: float  # the sum of the tables' privacy losses (≤ epsilon)
    scale: float
    error_95: int
    seed: int | None

    @property
    def publishable(self) -> bool:
        return self.seed is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "mechanism": "discrete Laplace (OpenDP)"
            if self.publishable
            else "discrete Laplace (seeded numpy)",
            "publishable": self.publishable,
            "epsilon": self.epsilon,
            "epsilon_spent": round(self.epsilon_spent, 6),
            "epsilon_per_table": round(self.epsilon / len(self.tables), 6),
            "scale": round(self.scale, 6),
            "error_95": self.error_95,
            "confidence": 1 - ALPHA,
            "seed": self.seed,
            "tables": [
                {
                    "name": t.spec.name,
                    "title": t.spec.title,
                    "epsilon": round(t.epsilon, 6),
                    "columns": list(t.spec.categories),
                    "rows": [
                        {"year": year, "counts": list(counts)}
                        for year, counts in zip(t.years, t.counts, strict=True)
                    ],
                }
                for t in self.tables
            ],
        }

    def to_csv(self) -> str:
        """Long format, one line per cell, each stating its epsilon and its 95 % error bound."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["table", "year", "category", "count", "epsilon", "error_95", "publishable"])
        for table in self.tables:
            for year, counts in zip(table.years, table.counts, strict=True):
                for category, count in zip(table.spec.categories, counts, strict=True):
                    writer.writerow(
                        [
                            table.spec.name,
                            year,
                            category,
                            count,
                            round(table.epsilon, 6),
                            self.error_95,
                            int(self.publishable),
                        ]
                    )
        return out.getvalue()


def true_counts(rows: Iterable[dict[str, Any]], spec: TableSpec, years: Sequence[int]) -> list[list[int]]:
    """The exact counts of a table (rows: `years`; columns: `spec.categories`); other years skipped."""
    row_of = {year: i for i, year in enumerate(years)}
    column_of = {category: j for j, category in enumerate(spec.categories)}
    counts = [[0] * len(spec.categories) for _ in years]
    for row in rows:
        year = row.get("yearOfRegistration")
        if year in row_of:
            counts[row_of[year]][column_of[spec.category_of(row)]] += 1
    return counts


def noise_scale(epsilon: float, tables: int) -> float:
    """The discrete Laplace scale that gives each of `tables` tables (sensitivity 1) epsilon / tables."""
    if not epsilon > 0 or not math.isfinite(epsilon):
        raise ValueError("epsilon must be a positive number")
    return tables / epsilon


def error_bound(scale: float, alpha: float = ALPHA) -> int:
    """The ± bound that a cell's noise stays within with probability 1 − alpha (rounded up to a count)."""
    return math.ceil(discrete_laplacian_scale_to_accuracy(scale, alpha) - 1e-9)


def laplace_measurement(scale: float) -> Any:
    """OpenDP's discrete Laplace on a vector of integer counts, L1 sensitivity measured in persons."""
    return dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale)


def seeded_discrete_laplace(generator: np.random.Generator, scale: float, size: int) -> np.ndarray:
    """Discrete Laplace noise (P(x) ∝ exp(−|x| / scale)) from a seeded generator: reproducible, not secure."""
    p = -math.expm1(-1.0 / scale)
    return generator.geometric(p, size) - generator.geometric(p, size)


def dp_tables(
    rows: Iterable[dict[str, Any]],
    *,
    epsilon: float = DEFAULT_EPSILON,
    years: Sequence[int],
    seed: int | None = None,
    tables: Sequence[TableSpec] = TABLES,
) -> DPTables:
    """Noisy count tables of persons: without `seed` OpenDP's sampler (publishable), with one reproducible."""
    rows = list(rows)
    years = tuple(sorted(set(years)))
    if not years:
        raise ValueError("at least one year is needed")
    scale = noise_scale(epsilon, len(tables))
    measurement = laplace_measurement(scale)
    epsilon_table = float(measurement.map(1))
    generator = np.random.default_rng(seed) if seed is not None else None
    noisy: list[NoisyTable] = []
    for spec in tables:
        flat = [count for line in true_counts(rows, spec, years) for count in line]
        if generator is None:
            released = measurement(flat)
        else:
            released = (np.array(flat) + seeded_discrete_laplace(generator, scale, len(flat))).tolist()
        clamped = [max(0, int(value)) for value in released]
        width = len(spec.categories)
        counts = tuple(tuple(clamped[i : i + width]) for i in range(0, len(clamped), width))
        noisy.append(NoisyTable(spec, years, counts, epsilon_table))
    spent = epsilon_table * len(tables)
    if spent > epsilon * (1 + 1e-9):
        raise ValueError(f"the tables would spend {spent} > epsilon {epsilon}")
    return DPTables(tuple(noisy), epsilon, spent, scale, error_bound(scale), seed)
