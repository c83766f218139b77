"""A seeded case's support plan: needs, and the referrals meeting them through the directory."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from lantern.cases.models import Case, CaseAccess, CaseEvent, Consent, Purpose
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
    plan = _Plan(batch, case, world, rng, today)
    kinds, weights = zip(*NEED_KINDS, strict=True)
    wanted = {rng.choices(kinds, weights)[0] for _ in range(rng.choices([1, 2, 3, 4], [30, 35, 25, 10])[0])}
    if case.interpreter_needed:
        wanted.add("interpretation")
    made = 0
    for kind in sorted(wanted):
        noted_on = day_between(rng, plan.start, plan.end, 10)
        need = plan.record_need(kind, noted_on)
        candidates = [
            o
            for o in world.offers.get(SERVICE_FOR_NEED[kind], [])
            if o.organisation_id != case.organisation_id
        ]
        if not candidates or rng.random() >= NEED_REFERRED:
            if case.closed_on:
                need.status = rng.choices(
                    [NeedStatus.MET, NeedStatus.DECLINED, NeedStatus.NOT_AVAILABLE], [70, 15, 15]
                )[0]
            continue
        made += 1
        offer = rng.choice(candidates)
        consent = plan.consent_to(offer.organisation, noted_on)
        referral = plan.draft(need, offer, noted_on)
        access = plan.send(referral, need, consent, noted_on)
        if access is not None:
            plan.answer(referral, need, access, noted_on)
    return made


class _Plan:
    """One case's support plan as the referral services would have left it, step by step."""

    def __init__(self, batch: Batch, case: Case, world: World, rng: random.Random, today: dt.date) -> None:
        self.batch, self.case, self.world, self.rng, self.today = batch, case, world, rng, today
        self.start, self.end = case.referred_on or case.identified_on, case.closed_on or today
        self.consents: dict[int, Consent | None] = {}

    def event(self, kind: str, on: dt.date, actor: Any, referral: Referral, **extra: Any) -> None:
        """A referral's timeline entry, with the detail `referrals.services._event` writes."""
        self.batch.event(
            self.case,
            kind,
            on,
            actor,
            lambda r=referral: {
                "referral": r.pk,
                "organisation": r.to_organisation_id,
                "service": r.service,
                "kind": r.kind,
                **extra,
            },
        )

    def record_need(self, kind: str, on: dt.date) -> Need:
        case = self.case
        need = Need(
            case=case,
            kind=kind,
            description=NEED_TEXTS[kind],
            priority=self.rng.choices(list(Priority), [15, 30, 55])[0],
            created_by=case.created_by,
            status=NeedStatus.IDENTIFIED,
        )
        self.batch.needs.append(need)
        self.batch.event(
            case,
            CaseEvent.Kind.NEED_RECORDED,
            on,
            case.created_by,
            lambda n=need: {"need": n.pk, "kind": n.kind, "status": NeedStatus.IDENTIFIED.value},
        )
        return need

    def consent_to(self, organisation: Any, on: dt.date) -> Consent | None:
        """The person's consent to referrals to `organisation`: recorded once, for most people."""
        if organisation.pk not in self.consents:
            given = self.rng.random() < REFERRAL_CONSENT
            self.consents[organisation.pk] = (
                consent_for(
                    self.batch,
                    self.case,
                    Purpose.REFERRAL,
                    on,
                    self.rng,
                    organisation=organisation,
                    end=self.end,
                )
                if given
                else None
            )
        return self.consents[organisation.pk]

    def draft(self, need: Need, offer: Any, on: dt.date) -> Referral:
        case = self.case
        groups = sorted(set(default_groups(offer.service)))  # as `create_referral` stores them
        referral = Referral(
            case=case,
            from_organisation_id=case.organisation_id,
            to_organisation=offer.organisation,
            offer=offer,
            service=offer.service,
            kind=kind_of(case, offer),
            field_groups=groups,
            message=self.rng.choice(MESSAGES),
            created_by=case.created_by,
        )
        self.batch.referrals.append(referral)
        need.referral, need.offer, need.updated_by = referral, offer, case.created_by
        self.event(CaseEvent.Kind.REFERRAL_DRAFTED, on, case.created_by, referral, field_groups=groups)
        return referral

    def send(self, referral: Referral, need: Need, consent: Consent | None, on: dt.date) -> CaseAccess | None:
        """Sent on the consent when it stood that day, granting the referred field groups; else a draft."""
        revoked = revoked_on(consent)
        if (
            consent is None
            or consent.given_on > on
            or referral.kind == ReferralKind.TRANSNATIONAL
            or (revoked and revoked <= on)
        ):
            return None
        case = self.case
        referral.status, referral.sent_at, referral.sent_by = (
            ReferralStatus.SENT,
            at(on, 200),
            case.created_by,
        )
        referral.consent = consent
        access = CaseAccess(
            case=case,
            organisation=referral.to_organisation,
            field_groups=referral.field_groups,
            consent=consent,
            granted_by=case.created_by,
            revoked_at=consent.revoked_at,
        )
        self.batch.accesses.append(access)
        self.batch.referral_access.append((referral, access))
        access_granted(self.batch, case, access, on)
        need.status = NeedStatus.REFERRED
        self.event(
            CaseEvent.Kind.REFERRAL_SENT, on, case.created_by, referral, field_groups=referral.field_groups
        )
        return access

    def answer(self, referral: Referral, need: Need, access: CaseAccess, sent_on: dt.date) -> None:
        """The receiver's answer (none yet, or none once the consent is revoked), then the service's end."""
        case, rng, offer = self.case, self.rng, referral.offer
        answered_on = day_between(rng, sent_on, self.end, 5)
        if answered_on == self.end and not case.closed_on and rng.random() < 0.5:
            return  # still waiting for an answer
        revoked = revoked_on(referral.consent)
        if revoked and revoked <= answered_on:
            return  # the consent was revoked before an answer: nothing more is shared, no answer
        answerer = self.world.answerer_of.get(referral.to_organisation_id)
        referral.answered_at, referral.answered_by = at(answered_on, 300), answerer
        declined = rng.random() < 0.2
        no_place = not declined and not offer.take_place()  # the directory's rule: no free place, no yes
        if declined or no_place:
            referral.status = ReferralStatus.DECLINED
            referral.decline_reason = NO_PLACES if no_place else rng.choice(DECLINE_REASONS)
            end_access(self.batch, case, access, answered_on, answerer, referral.answered_at)
            need.referral, need.offer = None, None
            need.status = NeedStatus.NOT_AVAILABLE if rng.random() < 0.3 else NeedStatus.IDENTIFIED
            self.event(CaseEvent.Kind.REFERRAL_DECLINED, answered_on, answerer, referral)
            return
        referral.status, referral.holds_place = ReferralStatus.ACCEPTED, offer.capacity_bound
        need.status = NeedStatus.IN_PROGRESS
        self.event(CaseEvent.Kind.REFERRAL_ACCEPTED, answered_on, answerer, referral)
        # Services end when the case closes, or after some months of support: then a place is free again.
        ended_on = case.closed_on or (answered_on + dt.timedelta(days=rng.randint(60, 120)))
        if ended_on < self.today:
            if referral.holds_place:
                offer.give_back_place()
            referral.status, referral.holds_place = ReferralStatus.CLOSED, False
            referral.ended_at, referral.ended_by = at(ended_on, 0), case.created_by
            end_access(self.batch, case, access, ended_on, case.created_by, referral.ended_at)
            need.status = NeedStatus.MET
            self.event(CaseEvent.Kind.REFERRAL_CLOSED, ended_on, case.created_by, referral)
