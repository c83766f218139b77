"""The rows of one batch of seeded cases, inserted parents first, and the times of their timeline entries."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from lantern.cases.models import Case, CaseAccess, CaseEvent, Consent, Decision

EIGHT_O_CLOCK = dt.time(8, 0)


def at(day: dt.date, step: int) -> dt.datetime:
    """A time on `day` for a timeline entry; `step` keeps the entries of one day in order."""
    return dt.datetime.combine(day, EIGHT_O_CLOCK, tzinfo=timezone.get_current_timezone()) + dt.timedelta(
        minutes=step
    )


def day_between(rng: random.Random, start: dt.date, end: dt.date, most: int) -> dt.date:
    return min(end, start + dt.timedelta(days=rng.randint(0, most)))


@dataclass
class Batch:
    """The rows of one batch, in the order they are inserted, and the timeline entries to write last."""

    screenings: list[Any] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    accesses: list[CaseAccess] = field(default_factory=list)
    referrals: list[Any] = field(default_factory=list)
    referral_access: list[tuple[Any, CaseAccess]] = field(default_factory=list)
    needs: list[Any] = field(default_factory=list)
    tracks: list[Any] = field(default_factory=list)
    legal_rows: list[Any] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    # (case, kind, day, actor, from_stage, to_stage, detail built once the rows have ids)
    events: list[tuple[Case, str, dt.date, Any, str, str, Callable[[], dict[str, Any]]]] = field(
        default_factory=list
    )

    def event(
        self,
        case: Case,
        kind: str,
        on: dt.date,
        actor: Any,
        detail: Callable[[], dict[str, Any]] = dict,
        from_stage: str = "",
        to_stage: str = "",
    ) -> None:
        self.events.append((case, kind, on, actor, from_stage, to_stage, detail))


def access_granted(batch: Batch, case: Case, access: CaseAccess, on: dt.date) -> None:
    """The timeline entry `sharing.grant_case_access` writes."""
    batch.event(
        case,
        CaseEvent.Kind.ACCESS_GRANTED,
        on,
        access.granted_by,
        lambda a=access: {
            "access": a.pk,
            "user": a.user_id,
            "organisation": a.organisation_id,
            "field_groups": list(a.field_groups),
        },
    )


def end_access(
    batch: Batch, case: Case, access: CaseAccess, on: dt.date, actor: Any, when: dt.datetime
) -> None:
    """An access ends (declined, closed): as the referral services do, unless a revoked consent ended it."""
    if access.revoked_at is not None and access.revoked_at <= when:
        return
    access.revoked_at = when
    batch.event(case, CaseEvent.Kind.ACCESS_REVOKED, on, actor, lambda a=access: {"access": a.pk})


def insert_batch(batch: Batch, offers: dict[str, list[Any]]) -> int:
    """Write the batch's rows, parents first; returns the number of timeline entries."""
    from lantern.legal.models import LegalTrack
    from lantern.referrals.models import Need, Referral, ServiceOffer
    from lantern.screening.models import Screening

    Screening.objects.bulk_create(batch.screenings, batch_size=500)
    Consent.objects.bulk_create(batch.consents, batch_size=1000)
    Referral.objects.bulk_create(batch.referrals, batch_size=1000)
    for referral, access in batch.referral_access:
        access.reason = f"referral {referral.pk}"
    CaseAccess.objects.bulk_create(batch.accesses, batch_size=1000)
    for referral, access in batch.referral_access:
        referral.access = access
    Referral.objects.bulk_update([r for r, _a in batch.referral_access], ["access"], batch_size=500)
    Need.objects.bulk_create(batch.needs, batch_size=1000)
    LegalTrack.objects.bulk_create(batch.tracks, batch_size=1000)
    by_model: dict[type, list[Any]] = {}
    for row in batch.legal_rows:
        by_model.setdefault(type(row), []).append(row)
    for model, rows in by_model.items():
        model.objects.bulk_create(rows, batch_size=1000)
    Decision.objects.bulk_create(batch.decisions, batch_size=1000)
    events, step_of = [], {}
    for case, kind, on, actor, from_stage, to_stage, detail in batch.events:
        step = step_of[case.pk] = step_of.get(case.pk, -1) + 1
        events.append(
            CaseEvent(
                case=case,
                kind=kind,
                at=at(on, step),
                on=on,
                actor=actor,
                from_stage=from_stage,
                to_stage=to_stage,
                detail=detail(),
            )
        )
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    ServiceOffer.objects.bulk_update(
        [o for group in offers.values() for o in group if o.capacity_bound], ["free_places"]
    )
    return len(events)
