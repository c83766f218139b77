"""Names across scripts and conventions: `lantern link` on the two multilingual generators' sets.

    .venv/bin/python bench/multilingual.py [--people 2000] [--seeds 1,2,3] [--engine lantern]

Each generator (``multilingual_curated.py``: hand-curated spellings; ``multilingual_translit.py``: rule-based
transliteration with another noise model) writes two organisations' files and the true pairs; this links
them and prints precision, recall and F1 of the pairs found (one line per generator and seed, then the mean).
The target (issue 18): F1 >= 0.95 with precision >= 0.98 on each generator.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import multilingual_curated  # noqa: E402
import multilingual_translit  # noqa: E402

GENERATORS = {"curated": multilingual_curated, "translit": multilingual_translit}


def score(folder: Path, engine: str = "lantern") -> dict[str, float]:
    """Precision, recall and F1 of linking ``a.csv`` with ``b.csv`` in ``folder`` against ``truth.csv``."""
    from lantern.linkage.engine import find_links
    from lantern.linkage.records import read_people_csv

    a, b = read_people_csv(folder / "a.csv"), read_people_csv(folder / "b.csv")
    result = find_links(a, b, engine=engine)
    found = {(a.ids[i], b.ids[j]) for i, j in zip(result.left.tolist(), result.right.tolist(), strict=True)}
    with (folder / "truth.csv").open(encoding="utf-8") as source:
        truth = {(row["a_id"], row["b_id"]) for row in csv.DictReader(source)}
    right = len(found & truth)
    precision = right / len(found) if found else 0.0
    recall = right / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pairs": len(truth)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--engine", default="lantern")
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    print(f"{'generator':10} {'seed':>4} {'pairs':>6} {'precision':>9} {'recall':>7} {'F1':>7}")
    for name, generator in GENERATORS.items():
        runs = []
        for seed in seeds:
            with tempfile.TemporaryDirectory(prefix=f"lantern-ml-{name}-") as folder:
                generator.write(Path(folder), *generator.generate(args.people, seed))
                run = score(Path(folder), args.engine)
            runs.append(run)
            print(
                f"{name:10} {seed:4d} {run['pairs']:6d} {run['precision']:9.4f} {run['recall']:7.4f}"
                f" {run['f1']:7.4f}"
            )
        mean = {key: statistics.mean(run[key] for run in runs) for key in ("precision", "recall", "f1")}
        print(
            f"{name:10} {'mean':>4} {'':6} {mean['precision']:9.4f} {mean['recall']:7.4f} {mean['f1']:7.4f}"
        )


if __name__ == "__main__":
    main()
