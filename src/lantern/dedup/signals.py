"""Erasing a person's data also erases what coordinators wrote about their pairs.

`lantern.records.retention.anonymise_case` clears the encrypted fields of the rows it finds through the
case's reverse relations; the dedup models point at cases without one (``related_name="+"``: a pair has two
cases, and pairs are no part of a case), so it does not reach `PairReview.reason`. This clears the reasons of
every pair of the case when the erasure is logged on the case's timeline, in the erasure's transaction. Pairs
and person keys hold no personal data and stay, so that statistics still count the person once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from lantern.cases.models import CaseEvent

from .models import PairReview


@receiver(post_save, sender=CaseEvent, dispatch_uid="dedup.erase_review_reasons")
def erase_review_reasons(sender: type, instance: CaseEvent, created: bool, raw: bool, **kwargs: Any) -> None:
    if raw or not created or instance.kind != CaseEvent.Kind.ANONYMISED:
        return
    case_id = instance.case_id
    PairReview.objects.filter(Q(pair__left_id=case_id) | Q(pair__right_id=case_id)).update(reason="")
