"""Releases benchmark: k-anonymity and differentially private tables on synthetic CTDC rows.

    .venv/bin/python bench/releases.py [--rows 100000] [--k 10] [--runs 3]

Rows are synthetic persons (`lantern/releases/tests/synthetic.py`: skewed like real registrations). Prints the
median wall time of `kanon.anonymise` (lattice search, suppression, released rows) and of `dp.dp_tables`
(four tables, OpenDP's sampler), with the generalisation chosen and the lattice nodes evaluated.
"""

from __future__ import annotations

import argparse
import statistics
import time

from lantern.releases import dp, kanon
from lantern.releases.tests.synthetic import synthetic_rows


def timed(runs: int, work):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = synthetic_rows(args.rows)
    seconds, (released, report) = timed(args.runs, lambda: kanon.anonymise(rows, k=args.k))
    levels = ", ".join(f"{g.column}={g.level_name}" for g in report.generalisation)
    print(
        f"k-anonymity  rows={args.rows} k={args.k}  {seconds:.2f} s  nodes={report.nodes_evaluated}  "
        f"suppressed={report.suppressed}  smallest={report.smallest_class}  "
        f"loss={report.information_loss:.3f}"
    )
    print(f"             {levels}")
    seconds, tables = timed(args.runs, lambda: dp.dp_tables(rows, epsilon=1.0, years=range(2016, 2026)))
    cells = sum(len(t.years) * len(t.spec.categories) for t in tables.tables)
    print(f"dp tables    rows={args.rows} cells={cells}  {seconds:.2f} s  error_95=±{tables.error_95}")


if __name__ == "__main__":
    main()
