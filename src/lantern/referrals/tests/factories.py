"""Factories for the directory, referrals and needs: built directly (the services are tested on their own)."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from lantern.accounts.roles import OrganisationType, Role, Service
from lantern.accounts.tests.factories import OrganisationFactory, UserFactory
from lantern.cases.models import CaseAccess
from lantern.cases.tests.factories import CaseFactory
from lantern.referrals.models import (
    Need,
    NeedKind,
    NeedStatus,
    Referral,
    ReferralKind,
    ReferralStatus,
    ServiceOffer,
)


class ServiceOfferFactory(factory.django.DjangoModelFactory):
    """A shelter with two places, in Greece, in Greek, English and Arabic."""

    class Meta:
        model = ServiceOffer

    organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.SHELTER)
    service = Service.SHELTER
    region = "Attica"
    languages = factory.LazyFunction(lambda: ["el", "en", "ar"])
    total_places = 2
    free_places = 2
    phone = "+30 210 000 0001"
    email = "referrals@shelter.example.invalid"


def shelter(name: str = "Safe Harbour Shelter", country: str = "GR") -> Any:
    return OrganisationFactory(
        name=name, type=OrganisationType.SHELTER, country=country, languages=["el", "en"]
    )


def staff(organisation: Any, role: str = Role.SERVICE_PROVIDER, username: str = "shelter_staff") -> Any:
    return UserFactory(organisation=organisation, roles=[role], username=username)


def referral_related_to(organisation: Any, owner: Any) -> Referral:
    """For the role matrix: a case of `organisation` referred (sent, with its access grant) to a service of
    `organisation` itself, so that its referrers and its receivers are both "own"."""
    case = CaseFactory(organisation=organisation, created_by=owner)
    offer = ServiceOfferFactory(organisation=organisation)
    access = CaseAccess.objects.create(
        case=case, organisation=organisation, field_groups=["identity"], granted_by=owner
    )
    return Referral.objects.create(
        case=case,
        from_organisation=organisation,
        to_organisation=organisation,
        offer=offer,
        service=offer.service,
        kind=ReferralKind.NATIONAL,
        field_groups=["identity"],
        status=ReferralStatus.SENT,
        sent_at=timezone.now(),
        access=access,
        created_by=owner,
    )


def need_related_to(organisation: Any, owner: Any) -> Need:
    """For the role matrix: a need of a case of `organisation`, referred to `organisation` (see above)."""
    referral = referral_related_to(organisation, owner)
    return Need.objects.create(
        case=referral.case,
        kind=NeedKind.ACCOMMODATION,
        description="Safe accommodation",
        status=NeedStatus.REFERRED,
        referral=referral,
        offer=referral.offer,
        created_by=owner,
    )
