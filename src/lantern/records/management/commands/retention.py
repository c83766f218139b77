"""`lantern retention run [--dry-run] [--today YYYY-MM-DD]`: the daily maintenance command. Erases the
personal data of cases closed longer ago than the retention period, removes orphaned document files, and
forgets old form and API submission keys (`lantern.web.idempotency.forget_processed_submissions`).
`lantern retention erase CASE_ID`: erase one case now, at the person's request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.cases.models import Case
from lantern.records.models import ErasureLedger, ErasureReason
from lantern.records.retention import anonymise_case, remove_orphaned_files, retention_days, run_retention
from lantern.records.storage import remove_old_set_aside_dirs
from lantern.web.idempotency import forget_processed_submissions


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Daily maintenance: erase the personal data of cases closed longer ago than "
        "LANTERN_RETENTION_DAYS_AFTER_CLOSE (default 1826 days), remove orphaned document files and forget "
        "old form and API submission keys. Run `lantern retention run` once a day (cron or a timer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser(
            "run",
            help="Daily: erase every case whose retention period has ended, remove orphaned files, "
            "forget old form and API submission keys.",
        )
        run.add_argument("--dry-run", action="store_true", help="List the cases due; change nothing.")
        run.add_argument("--today", type=str, default="", help="Act as if today were YYYY-MM-DD.")
        erase = sub.add_parser("erase", help="Erase one case now (the person asked for erasure).")
        erase.add_argument("case_id", type=int)

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "erase":
            self._erase(options["case_id"])
            return
        today = _date(options["today"]) if options["today"] else None
        result = run_retention(today=today, dry_run=options["dry_run"])
        days = retention_days()
        if result.dry_run:
            self.stdout.write(
                f"dry run ({result.today}, retention {days} days): {len(result.due)} case(s) due, "
                f"nothing changed: {', '.join(map(str, result.due)) or '-'}"
            )
            return
        removed = remove_orphaned_files()
        set_aside = remove_old_set_aside_dirs(settings.LANTERN_BACKUP_KEEP_DAYS)
        forgotten = forget_processed_submissions()
        self.stdout.write(
            f"retention ({result.today}, {days} days): erased {len(result.erased)} case(s): "
            f"{', '.join(str(e.case_id) for e in result.erased) or '-'}; "
            f"{sum(e.documents for e in result.erased)} document(s) deleted; "
            f"{result.schedules_added} schedule(s) added; {removed} orphaned file(s) removed; "
            f"{forgotten} old submission key(s) forgotten; "
            f"{len(set_aside)} folder(s) set aside by a restore removed"
        )

    def _erase(self, case_id: int) -> None:
        if ErasureLedger.objects.filter(case_id=case_id).exists():
            raise CommandError(f"case {case_id} was already erased")
        case = Case.objects.filter(pk=case_id).first()
        if case is None:
            raise CommandError(f"no case {case_id}")
        erased = anonymise_case(case, reason=ErasureReason.REQUEST)
        self.stdout.write(f"case {case_id} erased; {erased.documents} document(s) deleted")
