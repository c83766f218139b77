"""The case's timeline (`CaseEvent`): one entry per change, written by the service that makes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from .models import Case, CaseEvent


def log_event(
    case: Case,
    kind: str,
    *,
    actor: Any,
    on: dt.date | None = None,
    from_stage: str = "",
    to_stage: str = "",
    detail: dict[str, Any] | None = None,
    note: str = "",
) -> CaseEvent:
    """Append one entry to the case's timeline (for other apps too: referrals, support plans, documents)."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        on=on or timezone.localdate(),
        actor=actor,
        from_stage=from_stage,
        to_stage=to_stage,
        detail=detail or {},
        note=note,
    )
