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
        # The theme ids only: each simulated client interviews in screenings of its own (`bench_users`).
        self.stdout.write(json.dumps({"cases": ids, **self.screenings(worker, count=0)}))

    @staticmethod
    def screenings(worker: User, count: int = 20) -> dict[str, list]:  # type: ignore[type-arg]  # noqa: E501
        """Screenings at the interview stage (for the interview pages in the mix), if the app is installed."""
        from django.apps import apps

        if not apps.is_installed("lantern.screening"):
            return {}
        from lantern.screening import services
        from lantern.screening.content import load_language

        made = []
        for _ in range(count):
            screening = services.start_screening(actor=worker)
            changes = {
                "interview_language": "ar",
                "screener_language": "en",
                "gender_preference": "no_preference",
            }
            screening = services.record_setting(
                actor=worker, screening=screening, version=screening.version, changes=changes
            )
            screening = services.record_consent(
                actor=worker, screening=screening, version=screening.version, given=True
            )
            screening = services.record_age(
                actor=worker, screening=screening, version=screening.version, age_group="adult"
            )
            made.append(screening.pk)
        themes = [theme["id"] for theme in load_language("en")["themes"]]
        return {"screenings": made, "themes": themes}
