"""Retention: a closed case's personal data is erased after ``LANTERN_RETENTION_DAYS_AFTER_CLOSE`` days
(default 1826, five years), or at once when the person asks for erasure.

Erasing ("anonymising") a case:
- empties every encrypted field of the case and of every row attached to it (`holdings`): names, contact,
  places, notes, consents' and decisions' free text, the support plan's needs, referral messages and reasons
  for declining, the legal track's courts, case numbers and notes, the timeline's notes …;
- empties the plain quasi-identifiers and answers listed in `CASE_CLEARED` / `ATTACHED_CLEARED` (languages,
  a screening's answers, first signs and stored result — its outcome stays for statistics);
- deletes its documents (rows now, files once the transaction commits);
- keeps what statistics need — sex, age group when identified, citizenships, forms of exploitation,
  countries, stages, decision outcomes, amounts — with every date cut to the first of its month;
- writes an audit record and a timeline entry, and appends the case to the erasure ledger;
- then the follow-on effects other apps listed in `lantern.cases.reactions` (`CASE_ERASED`: e.g. dedup's
  review reasons) and the statistics fact row's rebuild.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.cases import reactions
from lantern.cases.models import Case, CaseEvent
from lantern.cases.sharing import end_all_access
from lantern.cases.timeline import log_event
from lantern.crypto.fields import BlindIndexField, EncryptedTextField

from . import storage
from .holdings import holdings
from .models import AgeGroup, Document, ErasureLedger, ErasureReason, RetentionSchedule

DEFAULT_RETENTION_DAYS = 1826
SYSTEM_ACTOR = "retention"
# Case fields cleared beyond the encrypted ones: quasi-identifiers not needed for statistics.
CASE_CLEARED = {"languages": [], "family_name_index": ""}
# The same for rows attached to the case (by model label).
# Every other plain field of the models attached to a case is listed, with why it is kept, in
# records/tests/test_retention_fields.py: a new field fails that test until it gets a rule here or there.
ATTACHED_CLEARED: dict[str, dict[str, Any]] = {
    "cases.consent": {"language": ""},
    "legal.rightsinformation": {"language": ""},
    "screening.screening": {
        "answers": {},
        "first_signs": [],
        "themes_saved": [],
        "result": {},  # a completed screening keeps its outcome column
        "interview_language": "",
    },
}


def retention_days() -> int:
    return int(getattr(settings, "LANTERN_RETENTION_DAYS_AFTER_CLOSE", DEFAULT_RETENTION_DAYS))


def anonymise_after(closed_on: dt.date) -> dt.date:
    return closed_on + dt.timedelta(days=retention_days())


def schedule_closed_case(case: Case) -> RetentionSchedule | None:
    """Keep the case's schedule in step with its closing date (`cases.reactions.CASE_CLOSED`: called when a
    case is closed). A reopened case keeps a stale schedule that `due_cases` ignores (it has no closing
    date) and that closing it again brings up to date."""
    if case.closed_on is None:
        return None
    schedule = RetentionSchedule.objects.filter(case=case).first()
    if schedule is None:
        return RetentionSchedule.objects.create(
            case=case, closed_on=case.closed_on, anonymise_after=anonymise_after(case.closed_on)
        )
    if schedule.anonymised_at is None and schedule.closed_on != case.closed_on:
        schedule.closed_on, schedule.anonymise_after = case.closed_on, anonymise_after(case.closed_on)
        schedule.save()
    return schedule


def due_cases(today: dt.date) -> models.QuerySet[Case]:
    """Closed cases whose retention period has ended and which were not erased yet.

    A case closed without a schedule (bulk-loaded, or closed before this app was installed) is due by its
    closing date; a reopened case (no closing date) never is.
    """
    erased = ErasureLedger.objects.values("case_id")
    cutoff = today - dt.timedelta(days=retention_days())
    return (
        Case.objects.filter(closed_on__isnull=False)
        .exclude(pk__in=erased)
        .filter(
            Q(retention__anonymise_after__lte=today, retention__anonymised_at__isnull=True)
            | Q(retention__isnull=True, closed_on__lte=cutoff)
        )
        .order_by("closed_on", "pk")
    )


def age_group(case: Case) -> str:
    known = case.birth_date or case.age_estimate is not None or case.appears_minor
    if not known:
        return AgeGroup.UNKNOWN
    return AgeGroup.CHILD if case.child_on(case.identified_on) else AgeGroup.ADULT


def _date_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField | models.DateTimeField) and not f.primary_key
    ]


def _erasing_update(model: type[models.Model]) -> dict[str, Any]:
    """What `QuerySet.update` sets on `model`'s rows: encrypted text emptied, dates cut to the month."""
    changes: dict[str, Any] = dict(ATTACHED_CLEARED.get(model._meta.label_lower, {}))
    for f in model._meta.concrete_fields:
        if isinstance(f, EncryptedTextField):
            changes[f.name] = ""
        elif isinstance(f, BlindIndexField):
            changes[f.name] = ""
    for name in _date_fields(model):
        changes[name] = TruncMonth(name)
    return changes


@dataclass
class Erasure:
    case_id: int
    fields: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    documents: int = 0


@transaction.atomic
def anonymise_case(case: Case, *, reason: str = ErasureReason.RETENTION, actor: Any = None) -> Erasure:
    """Erase the person's data from the case and everything attached to it (see the module docstring)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    result = Erasure(case_id=case.pk)
    schedule = RetentionSchedule.objects.filter(case=case).first() or RetentionSchedule(
        case=case, closed_on=case.closed_on or timezone.localdate(), anonymise_after=timezone.localdate()
    )
    schedule.age_group = age_group(case)

    documents = list(Document.objects.filter(case=case))
    names = [d.storage_name for d in documents]
    for document in documents:
        document.delete()  # audited per row
    result.documents = len(documents)
    transaction.on_commit(lambda: [storage.remove(name) for name in names])

    end_all_access(case)
    for holding in holdings():
        if holding.model is Document:
            continue
        changes = _erasing_update(holding.model)
        if changes:
            count = holding.rows_of(case).update(**changes)
            if count:
                result.rows[holding.label] = count
                result.fields += [f"{holding.model._meta.model_name}.{name}" for name in changes]

    case_changes = {**_erasing_update(Case), **CASE_CLEARED}
    Case.objects.filter(pk=case.pk).update(**case_changes)
    result.fields += sorted(case_changes)

    schedule.closed_on = schedule.closed_on.replace(day=1)
    schedule.anonymise_after = schedule.anonymise_after.replace(day=1)
    schedule.anonymised_at = timezone.now()
    schedule.save()
    erasure = ErasureLedger.objects.create(case_id=case.pk, erased_at=schedule.anonymised_at, reason=reason)
    log_event(case, CaseEvent.Kind.ANONYMISED, actor=actor, detail={"reason": str(reason)})
    record(
        AuditRecord.Action.SYSTEM,
        case,
        actor=actor,
        actor_label="" if actor else SYSTEM_ACTOR,
        fields=result.fields,
        detail={
            "operation": "anonymise",
            "reason": str(reason),
            "rows": result.rows,
            "documents": result.documents,
        },
    )
    reactions.case_erased(case, erasure)
    reactions.case_counted(case.pk)
    return result


@dataclass
class RetentionRun:
    today: dt.date
    dry_run: bool
    due: list[int] = field(default_factory=list)
    erased: list[Erasure] = field(default_factory=list)
    schedules_added: int = 0


def run_retention(*, today: dt.date | None = None, dry_run: bool = False) -> RetentionRun:
    """Erase every case due on `today`. A dry run only lists them and changes nothing."""
    today = today or timezone.localdate()
    run = RetentionRun(today=today, dry_run=dry_run)
    run.due = list(due_cases(today).values_list("pk", flat=True))
    if dry_run:
        return run
    missing = Case.objects.filter(closed_on__isnull=False, retention__isnull=True).exclude(
        pk__in=ErasureLedger.objects.values("case_id")
    )
    for case in missing.only("pk", "closed_on"):
        schedule_closed_case(case)
        run.schedules_added += 1
    for case in Case.objects.filter(pk__in=run.due).order_by("closed_on", "pk"):
        run.erased.append(anonymise_case(case))
    return run


def remove_orphaned_files() -> int:
    """Delete document files no row names (an upload that failed after writing, an erasure interrupted
    before it removed the files)."""
    known = set(Document.objects.values_list("storage_name", flat=True))
    orphans = storage.orphaned_files(known)
    for path in orphans:
        path.unlink(missing_ok=True)
    return len(orphans)
