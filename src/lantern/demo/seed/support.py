"""A seeded case's support plan: needs, and the referrals meeting them through the directory."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from lantern.cases.models import Case, CaseAccess, CaseEvent, Consent, Purpose
from lantern.referrals.services import kind_of

from .consents import consent_for, revoked_on
from .data import (
    DECLINE_REASONS,
    MESSAGES,
    NEED_KINDS,
    NEED_REFERRED,
    NEED_TEXTS,
    NO_PLACES,
    REFERRAL_CONSENT,
)
from .rows import Batch, access_granted, at, day_between, end_access
from .world import World


def support_plan(batch: Batch, case: Case, world: World, rng: random.Random, today: dt.date) -> int:
    """The case's needs and the referrals meeting them. Returns how many referrals were made."""
    from lantern.referrals.models import (
        SERVICE_FOR_NEED,
        Need,
        NeedStatus,
        Priority,
        Referral,
        ReferralKind,
        ReferralStatus,
    )
    from lantern.referrals.policies import default_groups

    start, end = case.referred_on or case.identified_on, case.closed_on or today
    kinds, weights = zip(*NEED_KINDS, strict=True)
    wanted = {rng.choices(kinds, weights)[0] for _ in range(rng.choices([1, 2, 3, 4], [30, 35, 25, 10])[0])}
    if case.interpreter_needed:
        wanted.add("interpretation")
    consents: dict[int, Consent | None] = {}
    made = 0
    for kind in sorted(wanted):
        noted_on = day_between(rng, start, end, 10)
        need = Need(
            case=case,
            kind=kind,
            description=NEED_TEXTS[kind],
            priority=rng.choices(list(Priority), [15, 30, 55])[0],
            created_by=case.created_by,
            status=NeedStatus.IDENTIFIED,
        )
        batch.needs.append(need)
        batch.event(
            case,
            CaseEvent.Kind.NEED_RECORDED,
            noted_on,
            case.created_by,
            lambda n=need: {"need": n.pk, "kind": n.kind, "status": NeedStatus.IDENTIFIED.value},
        )
        service = SERVICE_FOR_NEED[kind]
        candidates = [o for o in world.offers.get(service, []) if o.organisation_id != case.organisation_id]
        if not candidates or rng.random() >= NEED_REFERRED:
            if case.closed_on:
                need.status = rng.choices(
                    [NeedStatus.MET, NeedStatus.DECLINED, NeedStatus.NOT_AVAILABLE], [70, 15, 15]
                )[0]
            continue
        offer = rng.choice(candidates)
        made += 1
        org = offer.organisation
        if org.pk not in consents:
            consents[org.pk] = (
                consent_for(batch, case, Purpose.REFERRAL, noted_on, rng, organisation=org, end=end)
                if rng.random() < REFERRAL_CONSENT
                else None
            )
        consent = consents[org.pk]
        groups = sorted(set(default_groups(offer.service)))  # as `create_referral` stores them
        referral = Referral(
            case=case,
            from_organisation_id=case.organisation_id,
            to_organisation=org,
            offer=offer,
            service=offer.service,
            kind=kind_of(case, offer),
            field_groups=groups,
            message=rng.choice(MESSAGES),
            created_by=case.created_by,
        )
        batch.referrals.append(referral)
        need.referral, need.offer, need.updated_by = referral, offer, case.created_by

        def detail(r: Any = referral, **extra: Any) -> dict[str, Any]:
            return {
                "referral": r.pk,
                "organisation": r.to_organisation_id,
                "service": r.service,
                "kind": r.kind,
                **extra,
            }

        batch.event(
            case,
            CaseEvent.Kind.REFERRAL_DRAFTED,
            noted_on,
            case.created_by,
            lambda d=detail, g=groups: d(field_groups=g),
        )
        revoked = revoked_on(consent)
        if (
            consent is None
            or consent.given_on > noted_on
            or referral.kind == ReferralKind.TRANSNATIONAL
            or (revoked and revoked <= noted_on)
        ):
            continue  # no consent to this referral when it was prepared: it stays a draft
        sent_on = noted_on
        referral.status, referral.sent_at, referral.sent_by = (
            ReferralStatus.SENT,
            at(sent_on, 200),
            case.created_by,
        )
        referral.consent = consent
        access = CaseAccess(
            case=case,
            organisation=org,
            field_groups=groups,
            consent=consent,
            granted_by=case.created_by,
            revoked_at=consent.revoked_at,
        )
        batch.accesses.append(access)
        batch.referral_access.append((referral, access))
        access_granted(batch, case, access, sent_on)
        need.status = NeedStatus.REFERRED
        batch.event(
            case,
            CaseEvent.Kind.REFERRAL_SENT,
            sent_on,
            case.created_by,
            lambda d=detail, g=groups: d(field_groups=g),
        )
        answered_on = day_between(rng, sent_on, end, 5)
        if answered_on == end and not case.closed_on and rng.random() < 0.5:
            continue  # still waiting for an answer
        if revoked and revoked <= answered_on:
            continue  # the consent was revoked before an answer: nothing more is shared, no answer
        referral.answered_at, referral.answered_by = at(answered_on, 300), world.answerer_of.get(org.pk)
        declined = rng.random() < 0.2
        no_place = not declined and not offer.take_place()  # the directory's rule: no free place, no yes
        if declined or no_place:
            referral.status = ReferralStatus.DECLINED
            referral.decline_reason = NO_PLACES if no_place else rng.choice(DECLINE_REASONS)
            end_access(batch, case, access, answered_on, referral.answered_by, referral.answered_at)
            need.referral, need.offer = None, None
            need.status = NeedStatus.NOT_AVAILABLE if rng.random() < 0.3 else NeedStatus.IDENTIFIED
            batch.event(case, CaseEvent.Kind.REFERRAL_DECLINED, answered_on, referral.answered_by, detail)
            continue
        referral.status, referral.holds_place = ReferralStatus.ACCEPTED, offer.capacity_bound
        need.status = NeedStatus.IN_PROGRESS
        batch.event(case, CaseEvent.Kind.REFERRAL_ACCEPTED, answered_on, referral.answered_by, detail)
        # Services end when the case closes, or after some months of support: then a place is free again.
        ended_on = case.closed_on or (answered_on + dt.timedelta(days=rng.randint(60, 120)))
        if ended_on < today:
            if referral.holds_place:
                offer.give_back_place()
            referral.status, referral.holds_place = ReferralStatus.CLOSED, False
            referral.ended_at, referral.ended_by = at(ended_on, 0), case.created_by
            end_access(batch, case, access, ended_on, case.created_by, referral.ended_at)
            need.status = NeedStatus.MET
            batch.event(case, CaseEvent.Kind.REFERRAL_CLOSED, ended_on, case.created_by, detail)
    return made
