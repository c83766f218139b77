"""Backup and restore of a seeded Lantern: time and size (issue #7).

    .venv/bin/python bench/backup.py [--cases 100000] [--runs 3] [--sqlite]

Seeds N fictional cases into a throwaway PostgreSQL 15 cluster (re-running itself under scripts/with-postgres)
or, with --sqlite, into a temporary SQLite file; then times `lantern backup` and `lantern restore` (median of
--runs) and prints the archive's size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"


def lantern(env: dict[str, str], *args: str) -> str:
    return subprocess.run(  # noqa: S603
        [str(BIN / "lantern"), *args], env=env, check=True, text=True, capture_output=True
    ).stdout


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    if not args.sqlite and "DATABASE_URL" not in os.environ:
        wrapper = str(REPO / "scripts" / "with-postgres")
        os.environ.setdefault("LANTERN_PG_DURABLE", "1")
        os.execv(wrapper, [wrapper, sys.executable, *sys.argv])  # noqa: S606

    var = Path(tempfile.mkdtemp(prefix="lantern-bench-backup-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lantern.settings.dev",
        "LANTERN_VAR_DIR": str(var),
        "LANTERN_KEYRING_FILE": str(var / "keyring.json"),
        "LANTERN_LOG_LEVEL": "WARNING",
    }
    if args.sqlite:
        env["DATABASE_URL"] = f"sqlite:///{var / 'lantern.sqlite3'}"
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-m", "lantern.crypto.keyring", "create", str(var / "keyring.json")],
        check=True,
        env=env,
        capture_output=True,
    )
    lantern(env, "migrate", "--no-input", "-v", "0")
    lantern(env, "demo")
    started = time.perf_counter()
    lantern(env, "seed", "--cases", str(args.cases))
    kind = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"seeded {args.cases} cases in {time.perf_counter() - started:.0f} s ({kind})")
    lantern(env, "backup", "--create-key")

    backup_times, restore_times, sizes = [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        lantern(env, "backup", "--keep-days", "0")
        backup_times.append(time.perf_counter() - started)
        newest = sorted((var / "backups").glob("*.lbk"))[-1]
        sizes.append(newest.stat().st_size)
        started = time.perf_counter()
        lantern(env, "restore", str(newest), "--yes")
        restore_times.append(time.perf_counter() - started)
    for name, times in (("backup", backup_times), ("restore", restore_times)):
        runs = ", ".join(f"{t:.1f}" for t in times)
        print(f"{name:<8} median {statistics.median(times):.1f} s  (runs: {runs})")
    print(f"archive  {statistics.median(sizes) / 2**20:.1f} MiB for {args.cases} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
