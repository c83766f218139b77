"""Closing a case schedules the erasure of its personal data (`retention`)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from lantern.cases.models import Case

from .retention import schedule_closed_case


@receiver(post_save, sender=Case, dispatch_uid="records.schedule_closed_case")
def schedule_on_close(sender: type, instance: Case, raw: bool, **kwargs: Any) -> None:
    # Only closed cases cost a query; a reopened case keeps a stale schedule that `due_cases` ignores
    # (it has no closing date) and that closing it again brings up to date.
    if not raw and instance.closed_on is not None:
        schedule_closed_case(instance)
