"""`lantern bench_ids`: ids the web benchmark requests (JSON on stdout). Visible to the demo case worker."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from lantern.accounts.models import User
from lantern.authz.gate import visible
from lantern.cases.models import Case


class Command(BaseCommand):
    help = "Print ids of cases the demo case worker may open, for bench/web_load.py."

    def handle(self, *args: Any, **options: Any) -> None:
        worker = User.objects.get(username="caseworker")
        ids = list(visible(worker, "case.view", Case).order_by("?").values_list("pk", flat=True)[:2000])
        self.stdout.write(json.dumps({"cases": ids}))
