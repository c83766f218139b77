"""Names across scripts and conventions, on the small multilingual sets of ``tests/multilingual/``.

The two sets come from two independently written generators (``bench/multilingual_curated.py``: hand-curated
spellings; ``bench/multilingual_translit.py``: names rendered into Arabic, Persian, Ge'ez and Cyrillic script
by rules and read back, another noise model), 400 people each, seed 11. What they check here: that blocking
keeps the true pairs, and that the name comparison finds the names of one person alike across scripts,
compounds, particles, swapped fields and dropped given names (no name at the "different" level).
``bench/multilingual.py`` measures the whole linkage on larger sets.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from lantern.linkage.blocking import candidate_pairs
from lantern.linkage.compare import COMPARISONS, compare_pairs, prepare
from lantern.linkage.records import read_people_csv

HERE = Path(__file__).parent / "multilingual"
DIFFERENT = COMPARISONS[0].levels.index("different")


def true_pairs(name: str):
    a, b = read_people_csv(HERE / name / "a.csv"), read_people_csv(HERE / name / "b.csv")
    with (HERE / name / "truth.csv").open(encoding="utf-8") as source:
        truth = [(row["a_id"], row["b_id"]) for row in csv.DictReader(source)]
    at_a = {record_id: index for index, record_id in enumerate(a.ids)}
    at_b = {record_id: index for index, record_id in enumerate(b.ids)}
    features = prepare(a, b)
    left = np.array([at_a[x] for x, _ in truth])
    right = np.array([len(a) + at_b[y] for _, y in truth])
    return features, left, right


@pytest.mark.parametrize("name", ["curated", "translit"])
def test_blocking_keeps_the_true_pairs_of_both_generators(name):
    features, left, right = true_pairs(name)
    pairs = candidate_pairs(features)
    found = set((pairs.left * features.size + pairs.right).tolist())
    kept = np.mean([code in found for code in (left * features.size + right).tolist()])
    assert kept >= 0.97


@pytest.mark.parametrize(("name", "share"), [("curated", 0.82), ("translit", 0.87)])
def test_the_names_of_one_person_compare_alike_across_scripts_and_conventions(name, share):
    # Before compounds were joined, particles dropped and names compared as one set of words: 0.75 and 0.90.
    features, left, right = true_pairs(name)
    levels = compare_pairs(features, left, right)
    alike = (levels[:, 0] != DIFFERENT) & (levels[:, 1] != DIFFERENT)
    assert alike.mean() >= share
