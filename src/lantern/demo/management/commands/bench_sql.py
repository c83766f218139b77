"""`lantern bench_sql`: time the case list's own SQL (page query and count), for bench/web_load.py's ratio."""

import json
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils import timezone

from lantern.accounts.models import User
from lantern.cases import selectors
from lantern.cases.views import PAGE_SIZE
from lantern.web.pagination import WindowPaginator


class Command(BaseCommand):
    help = "Median time of the case list's SQL alone (page + windowed count), as the demo case worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=100)

    def handle(self, *args: Any, **options: Any) -> None:
        worker = User.objects.get(username="caseworker")
        cases = selectors.case_list(worker, today=timezone.localdate())
        statements = []
        for number in range(1, 51):  # the pages bench/web_load.py asks for, each with its counted window
            window = WindowPaginator(cases, PAGE_SIZE, number).window
            bottom = (number - 1) * PAGE_SIZE
            page_sql = cases[bottom : bottom + PAGE_SIZE].query.sql_with_params()
            count_sql, count_params = cases[: window + 1].values("pk").query.sql_with_params()
            count_sql = f"SELECT COUNT(*) FROM ({count_sql}) AS counted"  # noqa: S608 (SQL built by the ORM)  # nosec B608
            statements.append((page_sql, (count_sql, count_params)))
        timings = []
        with connection.cursor() as cursor:
            for run in range(options["runs"]):
                page, count = statements[run % len(statements)]
                started = time.perf_counter()
                cursor.execute(*page)
                cursor.fetchall()
                cursor.execute(*count)
                cursor.fetchall()
                timings.append((time.perf_counter() - started) * 1000)
        self.stdout.write(json.dumps({"case_list_sql_ms": statistics.median(timings)}))
