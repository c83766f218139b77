"""Keeping the statistics fact rows (`models.CaseFact`) in step with the cases.

`refresh_cases(ids)` rebuilds the rows of some cases: it reads them with `selectors.case_facts` (birth dates
decrypted in memory, once, here), puts each in categories (`CaseFacts.stats`), checks the consent to
statistics with the one consent rule (`cases.sharing.sharing_allowed_q`) and replaces the rows. Each service
that changes the case, a consent, a decision or a stage calls it once at its end, inside its transaction
(`lantern.cases.reactions.case_counted`), as retention's erasure does;
`refresh_all` (`lantern insights refresh`, run at the end of `lantern seed`) rebuilds every row, for data
loaded in bulk.

An erased case (`lantern.records.retention`) keeps only what retention keeps: its dates are already cut to
the month, and its age is the age group retention recorded at erasure (child / adult when identified), with
no age band.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from lantern.cases.models import Case, Purpose
from lantern.cases.sharing import sharing_allowed_q
from lantern.records.models import AgeGroup, RetentionSchedule

from . import disclosure, facts, selectors
from .models import CaseFact

BATCH = 2000


def fact_row(
    stats: facts.CaseStats, *, organisation_id: int, counted: bool, erased_age: str = ""
) -> CaseFact:
    """The fact row of one case's categories (`erased_age`: retention's age group, for an erased case)."""
    age_known, age_group, age_band = stats.age_known, stats.age_group, stats.age_band
    if erased_age:
        age_known, age_group, age_band = erased_age != AgeGroup.UNKNOWN, str(erased_age), ""
    return CaseFact(
        case_id=stats.pk,
        organisation_id=organisation_id,
        counted=counted,
        registered_on=stats.registered_on,
        stage_entered_on=stats.stage_entered_on,
        profile=stats.profile,
        stage=stats.stage,
        status=stats.status,
        sex=stats.sex,
        age_known=age_known,
        age_group=age_group,
        age_band=age_band,
        citizenships=",".join(stats.citizenships),
        exploitation_forms=",".join(stats.exploitation_forms),
        exploitation_country=stats.exploitation_country,
        documents_withheld=stats.documents_withheld,
        preliminary_days=stats.preliminary_days,
        preliminary_met=stats.preliminary_met,
        conclusive_days=stats.conclusive_days,
        conclusive_met=stats.conclusive_met,
        decisions=" ".join(f"{kind}:{outcome}" for kind, outcome in stats.decisions),
        record_key=disclosure.record_key("case", stats.pk),
    )


def _rows_of(ids: list[int]) -> list[CaseFact]:
    cases = Case.objects.filter(pk__in=ids)
    counted = set(cases.filter(sharing_allowed_q(Purpose.STATISTICS)).values_list("pk", flat=True))
    erased = dict(
        RetentionSchedule.objects.filter(case_id__in=ids, anonymised_at__isnull=False).values_list(
            "case_id", "age_group"
        )
    )
    return [
        fact_row(
            case.stats(),
            organisation_id=case.organisation_id,
            counted=case.pk in counted,
            erased_age=erased.get(case.pk, ""),
        )
        for case in selectors.case_facts(cases)
    ]


def refresh_cases(case_ids: Iterable[int]) -> int:
    """Rebuild the fact rows of these cases (a deleted case's row goes). Returns how many were written."""
    ids = sorted(set(case_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            rows = _rows_of(chunk)
            CaseFact.objects.filter(case_id__in=chunk).delete()
            CaseFact.objects.bulk_create(rows, batch_size=500)
        written += len(rows)
    return written


def refresh_all() -> int:
    """Rebuild every fact row from the cases (rows of cases that no longer exist go with their case)."""
    return refresh_cases(Case.objects.order_by("pk").values_list("pk", flat=True))
