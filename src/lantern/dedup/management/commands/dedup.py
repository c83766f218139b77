"""`lantern dedup run [--lower P] [--upper P] [--engine lantern|splink|spark]`: link every case and refresh
the review queue and the persons (audited as a system operation).

`lantern dedup export --organisation ID --out FILE.csv`: the organisation's cases in the input format of
`lantern link` and `lantern pprl encode` (audited as an export), for linkage with partners who may not see
them: encode the file with the shared key (`lantern pprl encode`) and share only the encodings.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.accounts.models import Organisation
from lantern.dedup import services
from lantern.linkage.engine import ENGINES, EngineUnavailable


def _probability(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a number between 0 and 1") from None
    if not 0 < number <= 1:
        raise CommandError(f"{number} is not between 0 (excluded) and 1")
    return number


class Command(BaseCommand):
    help = "De-duplication of persons across cases: `run` the linkage, or `export` cases for `lantern link`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser("run", help="Link every case; refresh the review queue and the persons.")
        run.add_argument("--lower", default=str(services.LOWER_THRESHOLD), help="pairs below are dropped")
        run.add_argument(
            "--upper", default=str(services.UPPER_THRESHOLD), help="pairs at or above are linked"
        )
        run.add_argument(
            "--engine",
            choices=ENGINES,
            default="lantern",
            help="lantern (default), splink (Splink on DuckDB), spark (Splink on Spark: local mode, "
            "SPARK_MASTER or SPARK_REMOTE)",
        )
        export = sub.add_parser("export", help="Write an organisation's cases as `lantern link` input CSV.")
        export.add_argument("--organisation", type=int, required=True, help="the organisation's id")
        export.add_argument("--out", type=Path, required=True, help="the CSV file to write (UTF-8)")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "export":
            self._export(options["organisation"], options["out"])
            return
        lower, upper = _probability(options["lower"]), _probability(options["upper"])
        if lower > upper:
            raise CommandError("--lower must not be above --upper")
        try:
            run = services.run_linkage(lower=lower, upper=upper, engine=options["engine"])
        except EngineUnavailable as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"linkage run {run.pk}: {run.cases} cases ({run.records} records), {run.candidate_pairs} pairs "
            f"scored >= {lower}: {run.linked} linked, {run.to_review} to review, {run.removed} removed; "
            f"{run.persons} persons in two or more cases"
        )

    def _export(self, organisation_id: int, out: Path) -> None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise CommandError(f"no organisation {organisation_id}")
        if not out.parent.is_dir():
            raise CommandError(f"the folder {out.parent} does not exist")
        # Written beside the target and renamed over it once complete: never a half-written file.
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                rows = services.export_people_csv(organisation, file)
            os.chmod(temporary, 0o600)
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(f"{rows} records of {organisation.name} written to {out}")
