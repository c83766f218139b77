"""`lantern seed --cases N`: fictional cases with timelines, screenings, consents, support plans, referrals,
decisions and legal tracks (after the demo data)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from lantern.cases.models import Case
from lantern.demo.accounts import load_demo
from lantern.demo.seed import seed_cases
from lantern.insights.fact_rows import refresh_all


class Command(BaseCommand):
    help = (
        "Create N fictional cases (Latin, Arabic, Cyrillic and Greek names) with screenings, consents, "
        "support plans, referrals, decisions and legal tracks, for demos, tests and benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=50, help="how many cases (default 50)")
        parser.add_argument("--seed", type=int, default=20261129, help="random seed (same seed, same data)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when cases already exist")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 0:
            self.stderr.write("--cases must be 0 or more")
            raise SystemExit(2)
        load_demo()
        if options["if_empty"] and Case.objects.exists():
            self.stdout.write("cases exist already: nothing seeded")
            return
        started = time.perf_counter()
        report = seed_cases(options["cases"], seed=options["seed"])
        refresh_all()  # bulk-created cases send no signal: build their statistics fact rows
        if connection.vendor == "postgresql" and not connection.in_atomic_block:  # (not in a test)
            # After a bulk load, as PostgreSQL's manual advises: planner statistics and the visibility map
            # now, rather than whenever autovacuum gets to them (the first pages would be planned blind).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        self.stdout.write(
            f"seeded {report.cases} cases, {report.events} timeline events, {report.consents} consents, "
            f"{report.decisions} decisions, {report.screenings} screenings, {report.needs} needs, "
            f"{report.referrals} referrals, {report.legal_tracks} legal tracks "
            f"in {time.perf_counter() - started:.1f} s"
        )
