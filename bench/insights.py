"""Statistics benchmark: the dashboard, the Eurostat page and the CTDC export on N seeded cases.

    .venv/bin/python bench/insights.py [--cases 100000] [--runs 5] [--linked 0.04] [--sqlite]

Without DATABASE_URL it re-runs itself under scripts/with-postgres (a throwaway PostgreSQL 15 cluster);
--sqlite uses a throwaway SQLite file instead. Seeds the demo data and N cases (`lantern seed`, which builds
the statistics fact rows at its end), times `lantern insights refresh` on its own, makes --linked of the cases
into persons of two cases (as `lantern dedup` would), then requests each page in-process with Django's test
client, signed in as the demo statistics viewer and NRM decision-maker (two factors done), and prints the
median and best wall time of --runs requests, the median CPU time of this process (which includes the
database's work with SQLite, not PostgreSQL's), and the SQL queries and size of one response.
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


def lantern(*args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [str(BIN / "lantern"), *args], env=os.environ, check=True, text=True, capture_output=True
    )
    return result.stdout.strip()


def link_pairs(share: float) -> int:
    """Put `share` of the cases into persons of two cases (consecutive ids), as the de-duplication would."""
    from lantern.cases.models import Case
    from lantern.dedup.models import PersonMembership

    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    step = max(2, int(round(2 / share))) if share > 0 else 0
    rows = []
    for i in range(0, len(ids) - 1, step or len(ids)):
        key = f"bench-{ids[i]}"
        rows += [
            PersonMembership(case_id=ids[i], person_key=key),
            PersonMembership(case_id=ids[i + 1], person_key=key),
        ]
    PersonMembership.objects.all().delete()
    PersonMembership.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def measure(client, url: str, runs: int) -> tuple[float, float, float, int, int]:  # type: ignore[no-untyped-def]
    """Median and best wall seconds of `runs` requests, the median CPU seconds of this process (the database's
    too with SQLite; not PostgreSQL's), the SQL queries of one request, and its size in bytes."""
    from django.db import connection

    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    size = len(response.content)
    times, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
        assert response.status_code == 200
    return statistics.median(times), min(times), statistics.median(cpu), len(queries), size


def signed_in(username: str):  # type: ignore[no-untyped-def]
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lantern.accounts.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--linked", type=float, default=0.04, help="share of cases linked into persons of two"
    )
    parser.add_argument("--sqlite", action="store_true", help="a throwaway SQLite file instead of PostgreSQL")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="lantern-bench-insights-"))
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    elif "DATABASE_URL" not in os.environ:
        wrapper = str(REPO / "scripts" / "with-postgres")
        os.execv(  # noqa: S606  (re-run this script under a throwaway PostgreSQL)
            wrapper, [wrapper, sys.executable, *sys.argv]
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = "lantern.settings.test"
    os.environ["LANTERN_VAR_DIR"] = str(var)
    sys.path.insert(0, str(REPO / "src"))
    from lantern.crypto.keyring import generate_keyring_json

    os.environ["LANTERN_KEYRING"] = generate_keyring_json()  # the same key for the seed and the requests
    backend = "SQLite" if args.sqlite else "PostgreSQL"

    lantern("migrate", "--no-input", "-v", "0")
    lantern("demo")
    started = time.perf_counter()
    print(lantern("seed", "--cases", str(args.cases)).splitlines()[-1])
    print(f"seed and fact rows: {time.perf_counter() - started:.0f} s ({backend})")
    started = time.perf_counter()
    lantern("insights", "refresh")
    print(f"lantern insights refresh: {time.perf_counter() - started:.1f} s for {args.cases} cases")

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    linked = link_pairs(args.linked)
    print(f"{linked} cases linked into persons of two")
    year = time.localtime().tm_year - 1
    pages = [
        ("statistics", "dashboard", "/insights/"),
        ("decider", "dashboard", "/insights/"),
        ("decider", "dashboard, filtered by sex", "/insights/?sex=female"),
        ("statistics", "eurostat", f"/insights/eurostat/?year={year}"),
        ("decider", "eurostat", f"/insights/eurostat/?year={year}"),
        ("decider", "ctdc export", "/insights/export/ctdc.csv"),
    ]
    clients = {name: signed_in(name) for name in {user for user, _p, _u in pages}}
    print(f"{'user':<11} {'page':<28} {'median':>8} {'best':>8} {'cpu':>8} {'queries':>8} {'bytes':>10}")
    for user, page, url in pages:
        median, best, cpu, queries, size = measure(clients[user], url, args.runs)
        print(f"{user:<11} {page:<28} {median:>7.3f}s {best:>7.3f}s {cpu:>7.3f}s {queries:>8} {size:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
