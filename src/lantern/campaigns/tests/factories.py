"""Factories for campaigns: built directly (the services are tested on their own)."""

from __future__ import annotations

import datetime

import factory

from lantern.accounts.tests.factories import OrganisationFactory
from lantern.campaigns.models import Campaign, Channel, TargetGroup


class CampaignFactory(factory.django.DjangoModelFactory):
    """A running campaign for migrant workers, in English and Arabic, by leaflets and outreach."""

    class Meta:
        model = Campaign

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Know your rights at work {n}")
    aim = "Tell seasonal farm workers where to get help."
    target_groups = factory.LazyFunction(lambda: [TargetGroup.MIGRANT_WORKERS.value])
    languages = factory.LazyFunction(lambda: ["en", "ar"])
    channels = factory.LazyFunction(lambda: [Channel.LEAFLETS.value, Channel.OUTREACH.value])
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2030, 12, 31)
