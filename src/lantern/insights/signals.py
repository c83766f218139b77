"""Saving a case, a consent, a decision or a timeline entry rebuilds the case's statistics fact row.

In the saving transaction, so that the row never disagrees with what was committed. A timeline entry covers
the stage entries the deadlines are counted from and an erasure (`records.retention` changes the case with
`QuerySet.update`, then logs the erasure). Rows loaded in bulk (`lantern seed`) send no signal: they are
rebuilt with `lantern insights refresh`.

Once per unit of work: a service that saves the case, logs an event and records a decision runs in
`lantern.unit_of_work.unit_of_work`, and the case's row is rebuilt once, at the end of the service's atomic
block — still inside the transaction, after all of its writes (see that module for why this keeps the
guarantee above). A save outside a unit of work rebuilds the row at once, as each save did before.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from lantern.cases.models import Case, CaseEvent, Consent, Decision
from lantern.unit_of_work import at_end

from .fact_rows import refresh_cases


def _rebuild(case_id: int) -> None:
    at_end(refresh_cases, case_id)


@receiver(post_save, sender=Case, dispatch_uid="insights.case_saved")
def case_saved(sender: type, instance: Case, raw: bool, **kwargs: Any) -> None:
    if not raw:
        _rebuild(instance.pk)


@receiver(post_save, sender=Consent, dispatch_uid="insights.consent_saved")
@receiver(post_save, sender=Decision, dispatch_uid="insights.decision_saved")
@receiver(post_save, sender=CaseEvent, dispatch_uid="insights.event_saved")
def attached_row_saved(
    sender: type, instance: Consent | Decision | CaseEvent, raw: bool, **kwargs: Any
) -> None:
    if not raw:
        _rebuild(instance.case_id)
