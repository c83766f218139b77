"""`lantern subject_access CASE_ID --format json|pdf --out FILE`: everything held about the person of a case,
for administrators answering a subject-access request from the shell. The export is audited."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.cases.models import Case
from lantern.records.subject_access import export_subject_access


class Command(BaseCommand):
    help = "Export everything held about the person of a case (GDPR art. 15) as JSON or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case_id", type=int)
        parser.add_argument("--format", choices=["json", "pdf"], default="json", dest="fmt")
        parser.add_argument("--out", required=True, help="The file to write (created readable by you only).")

    def handle(self, *args: Any, case_id: int, fmt: str, out: str, **options: Any) -> None:
        case = Case.objects.filter(pk=case_id).first()
        if case is None:
            raise CommandError(f"no case {case_id}")
        target = Path(out)
        if target.exists():
            raise CommandError(f"{target} exists: choose another file (nothing is overwritten)")
        output = export_subject_access(case=case, fmt=fmt)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(output)
        self.stdout.write(f"wrote {target} ({len(output)} bytes, {fmt}) for case {case.reference}")
