"""`lantern insights refresh`: rebuild the statistics fact row of every case (`insights.fact_rows`).

Saving a case keeps its row current; run this after loading cases in bulk (`lantern seed` runs it) or to
check that the rows agree with the cases.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lantern.insights.fact_rows import refresh_all


class Command(BaseCommand):
    help = "Statistics: `refresh` rebuilds the statistics fact row of every case from the cases."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("refresh", help="Rebuild the statistics fact row of every case.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = refresh_all()
        self.stdout.write(
            f"refreshed the statistics facts of {rows} cases in {time.perf_counter() - started:.1f} s"
        )
