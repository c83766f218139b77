"""Screening benchmark: the scoring engine on one core, and `lantern screen` end to end.

    .venv/bin/python bench/screening.py [--screenings 200000] [--explained 50000] [--runs 5] [--lines 100000]

Inputs are random: an instrument drawn from the four, and 0-15 of its indicators. Prints a small table: engine
screenings per second (median of the runs), the same with the explanation built, and `lantern screen` on
generated JSON Lines (wall time, lines per second, peak RSS of the child, start-up time for one line).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from lantern.screening.catalogue import Instrument, load_catalogue
from lantern.screening.engine import score

REPO = Path(__file__).resolve().parents[1]
MAX_OBSERVED = 15


def random_requests(count: int, seed: int) -> Iterator[tuple[Instrument, list[str]]]:
    """`count` (instrument, observed ids) pairs, reproducible from the seed."""
    rng = random.Random(seed)
    instruments = list(load_catalogue().instruments.values())
    ids = {i.id: sorted(i.indicator_ids) for i in instruments}
    for _ in range(count):
        instrument = rng.choice(instruments)
        yield instrument, rng.sample(ids[instrument.id], rng.randint(0, MAX_OBSERVED))


def per_second(requests: list[tuple[Instrument, list[str]]], runs: int, *, explained: bool) -> float:
    """Median screenings per second over `runs` passes."""
    rates = []
    for _ in range(runs):
        started = time.perf_counter()
        if explained:
            for instrument, observed in requests:
                score(instrument, observed).explanation()
        else:
            for instrument, observed in requests:
                score(instrument, observed)
        rates.append(len(requests) / (time.perf_counter() - started))
    return statistics.median(rates)


def lantern_screen_command() -> list[str]:
    script = REPO / ".venv" / "bin" / "lantern"
    if script.exists():
        return [str(script), "screen"]
    return [sys.executable, "-m", "lantern.cli", "screen"]


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_screen(path: Path) -> tuple[float, int, int, int]:
    """Run `lantern screen` on a file: (wall seconds, exit status, output lines, output bytes)."""
    started = time.perf_counter()
    with path.open("rb") as stdin:
        child = subprocess.Popen(lantern_screen_command(), stdin=stdin, stdout=subprocess.PIPE)
        assert child.stdout is not None
        lines = size = 0
        # Read as a consumer would, in chunks, so the pipe never fills and nothing piles up here.
        while chunk := child.stdout.read(1 << 20):
            lines += chunk.count(b"\n")
            size += len(chunk)
        status = child.wait()
    return time.perf_counter() - started, status, lines, size


def end_to_end(line_count: int, seed: int) -> dict[str, float]:
    """`lantern screen` on `line_count` generated lines, and on one line for the start-up time."""
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as folder:
        many = Path(folder) / "requests.jsonl"
        with many.open("w", encoding="utf-8") as out:
            for n, (instrument, observed) in enumerate(random_requests(line_count, seed)):
                out.write(
                    json.dumps({"id": f"r{n}", "instrument": instrument.id, "observed": observed}) + "\n"
                )
        one = Path(folder) / "one.jsonl"
        one.write_text('{"id": "r1", "instrument": "ilo-adult-labour", "observed": []}\n', encoding="utf-8")

        # Linux counts the parent's resident memory at fork into the child's ru_maxrss, so this runs before
        # the engine inputs are built, while this process is small; its own peak is reported beside it.
        parent_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu_before = children_cpu_seconds()
        seconds, status, lines, size = run_screen(many)
        cpu = children_cpu_seconds() - cpu_before
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        startup = min(run_screen(one)[0] for _ in range(3))
    if status != 0 or lines != line_count:
        raise SystemExit(f"lantern screen failed: exit status {status}, {lines} of {line_count} lines")
    return {
        "seconds": seconds,
        "cpu": cpu,
        "lines": lines,
        "bytes": size,
        "peak_mib": peak_kib / 1024,
        "parent_mib": parent_kib / 1024,
        "startup": startup,
    }


def interview_pages_p95() -> None:
    """Placeholder: the p95 of the interview pages belongs to the web load benchmark (server and database)."""
    if not (REPO / "bench" / "web_load.py").exists():
        print("interview pages p95: n/a until bench/web_load.py exists")
    else:
        print("interview pages p95: n/a here; run bench/web_load.py (gunicorn + PostgreSQL)")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--screenings", type=int, default=200_000)
    parser.add_argument("--explained", type=int, default=50_000, help="screenings per run with explanation")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    stream = end_to_end(args.lines, args.seed + 1)
    # One thread, so one core at a time; the inputs are built before the clock starts.
    requests = list(random_requests(args.screenings, args.seed))
    per_second(requests[:10_000], 1, explained=True)  # warm the memo tables, as a long-running process would
    scored = per_second(requests, args.runs, explained=False)
    explained = per_second(requests[: args.explained], args.runs, explained=True)

    print(
        f"Screening benchmark — Python {platform.python_version()}, one thread ({os.cpu_count()} CPUs seen),"
    )
    print(f"random inputs over the four instruments, 0-{MAX_OBSERVED} indicators each\n")
    rows = [
        ("engine: score()", f"{scored:,.0f} /s", f"median of {args.runs} x {args.screenings:,}"),
        (
            "engine: score() + explanation()",
            f"{explained:,.0f} /s",
            f"median of {args.runs} x {args.explained:,}",
        ),
        (
            f"lantern screen, {stream['lines']:,} lines",
            f"{stream['seconds']:.2f} s",
            f"{stream['lines'] / stream['seconds']:,.0f} lines/s, {stream['cpu']:.2f} s CPU, "
            f"{stream['bytes'] / 2**20:,.0f} MiB out",
        ),
        (
            "lantern screen, peak RSS",
            f"{stream['peak_mib']:.0f} MiB",
            f"of the child; an upper bound: includes this process's {stream['parent_mib']:.0f} MiB at fork",
        ),
        ("lantern screen, one line", f"{stream['startup'] * 1000:.0f} ms", "start-up included, best of 3"),
    ]
    widths = [max(len(row[n]) for row in rows) for n in range(2)]
    print(f"{'measure':<{widths[0]}}  {'value':>{widths[1]}}  notes")
    print(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 5}")
    for name, value, note in rows:
        print(f"{name:<{widths[0]}}  {value:>{widths[1]}}  {note}")
    print()
    interview_pages_p95()
    return 0


if __name__ == "__main__":
    sys.exit(main())
