"""The consent rule in SQL (`sharing_allowed_q`) against the same rule written out in plain Python, over a
random sample of cases, consents and profiles: every purpose, every recipient, with and without profiles that
waive consent. The SQL is shaped for the database's planner; this keeps it saying what domain.md §3 says."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.utils import timezone

from lantern.accounts.tests.factories import OrganisationFactory
from lantern.cases.models import Basis, Case, Consent, Purpose
from lantern.cases.procedure.profiles import Profile, load_profiles
from lantern.cases.sharing import REFERRAL_PURPOSES, sharing_allowed_q

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def allowed(case: Case, consents: list[Consent], purpose: str, organisation: Any) -> bool:
    """The rule, plainly: an active consent for the purpose (and recipient) given by whom the case needs;
    for referral purposes, a profile may waive consent (adults) or accept a best-interests determination
    (children)."""
    profile = load_profiles().profiles[case.profile]
    referral = purpose in REFERRAL_PURPOSES
    child = case.treated_as_child
    if referral and not child and not profile.consent_required(child=False):
        return True
    for consent in consents:
        if consent.purpose != purpose or consent.revoked_at is not None:
            continue
        if purpose == Purpose.REFERRAL and consent.organisation_id != organisation:
            continue
        if organisation is not None and consent.organisation_id not in (None, organisation):
            continue
        if not child and consent.basis == Basis.PERSON:
            return True
        if child and consent.basis == Basis.GUARDIAN:
            return True
        if child and consent.basis == Basis.BEST_INTERESTS and referral:
            if not profile.consent_required(child=True):
                return True
    return False


@pytest.mark.parametrize("waivers", ["as in the reference", "mixed"])
def test_the_sql_rule_is_the_written_rule(monkeypatch: Any, waivers: str) -> None:
    if waivers == "mixed":  # profiles that differ: one waives an adult's consent, one needs a child's
        first, *_, last = sorted(load_profiles().profiles)
        original = Profile.consent_required

        def consent_required(self: Profile, *, child: bool) -> bool:
            if child:
                return self.id == first or original(self, child=True)
            return self.id != last and original(self, child=False)

        monkeypatch.setattr(Profile, "consent_required", consent_required)
    rng = random.Random(197)
    recipients = [OrganisationFactory().pk, OrganisationFactory().pk]
    profiles = sorted(load_profiles().profiles)
    owner = CaseFactory()
    held: dict[int, list[Consent]] = {}
    for _ in range(150):
        case = CaseFactory(
            organisation=owner.organisation,
            created_by=owner.created_by,
            profile=rng.choice(profiles),
            appears_minor=rng.random() < 0.5,  # age unknown: treated as a child
        )
        held[case.pk] = []
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            purpose = rng.choice(list(Purpose))
            organisation = rng.choice([None, *recipients])
            if purpose == Purpose.REFERRAL and organisation is None:
                organisation = recipients[0]
            held[case.pk].append(
                Consent.objects.create(
                    case=case,
                    purpose=purpose,
                    basis=rng.choice(list(Basis)),
                    organisation_id=organisation,
                    recipient_country="FR" if purpose == Purpose.TRANSNATIONAL else "",
                    given_on=timezone.localdate(),
                    recorded_by=owner.created_by,
                    revoked_at=timezone.now() if rng.random() < 0.25 else None,
                )
            )
    cases = {case.pk: case for case in Case.objects.filter(pk__in=held)}
    assert {case.treated_as_child for case in cases.values()} == {True, False}
    checked = 0
    for purpose in Purpose:
        for organisation in [None, *recipients]:
            if purpose == Purpose.REFERRAL and organisation is None:
                continue
            by_sql = set(
                Case.objects.filter(pk__in=held)
                .filter(sharing_allowed_q(purpose, organisation))
                .values_list("pk", flat=True)
            )
            by_rule = {pk for pk, case in cases.items() if allowed(case, held[pk], purpose, organisation)}
            assert by_sql == by_rule, (purpose, organisation)
            checked += len(by_rule)
    assert checked > 20  # the sample allows some sharing, not only refusals
