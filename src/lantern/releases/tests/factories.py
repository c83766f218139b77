"""Factories for releases: built directly (the services are tested on their own)."""

from __future__ import annotations

import factory
from django.utils import timezone

from lantern.accounts.roles import OrganisationType, Role
from lantern.accounts.tests.factories import OrganisationFactory, UserFactory
from lantern.releases.models import Release, ReleaseKind, ReleaseStatus


class ReleaseFactory(factory.django.DjangoModelFactory):
    """A draft k-anonymous microdata release (k = 10) made by an NRM decision-maker."""

    class Meta:
        model = Release

    # Releases are made by NRM decision-makers, who work in the competent authority.
    organisation = factory.SubFactory(OrganisationFactory, country="GR", type=OrganisationType.NRM_AUTHORITY)
    title = "Persons registered in 2024"
    kind = ReleaseKind.MICRODATA
    k = 10
    max_suppression = 0.05
    content = "# k-anonymous microdata, k=10\nageBroad,gender\n"
    report = factory.LazyFunction(lambda: {"k": 10, "generalisation": []})
    created_by = factory.SubFactory(
        UserFactory,
        organisation=factory.SelfAttribute("..organisation"),
        roles=[Role.NRM_DECISION_MAKER],
    )


def reviewed(release: Release, reviewer: object = None) -> Release:
    reviewer = reviewer or UserFactory(organisation=release.organisation, roles=[Role.NRM_DECISION_MAKER])
    Release.objects.filter(pk=release.pk).update(
        status=ReleaseStatus.REVIEWED, reviewed_by=reviewer, reviewed_at=timezone.now()
    )
    release.refresh_from_db()
    return release


def published(release: Release) -> Release:
    reviewed(release)
    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.PUBLISHED, published_at=timezone.now())
    release.refresh_from_db()
    return release
