"""Factories for cases: built through the services where the rules matter, directly where they do not.

Rows written directly get what the services would do after them (`lantern.cases.reactions`): the
statistics fact row is rebuilt.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from lantern.accounts.roles import OrganisationType, Role
from lantern.accounts.tests.factories import OrganisationFactory, UserFactory
from lantern.cases import reactions
from lantern.cases.models import Basis, Case, CaseAccess, CaseEvent, Consent, Purpose


class CaseFactory(factory.django.DjangoModelFactory):
    """A case at its first stage with a timeline entry, bypassing the services (for fixtures and counts)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    profile = "coe-generic"
    stage = "identified"
    identified_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    stage_entered_on = factory.SelfAttribute("identified_on")
    given_names = "Amina"
    family_name = factory.Sequence(lambda n: f"Family{n}")

    @factory.post_generation
    def timeline(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            CaseEvent.objects.create(
                case=self, kind=CaseEvent.Kind.CREATED, on=self.identified_on, to_stage=self.stage
            )
            reactions.case_counted(self.pk)


def authority(name: str = "National Referral Authority", country: str = "GR") -> Any:
    return OrganisationFactory(name=name, type=OrganisationType.NRM_AUTHORITY, country=country)


def decision_maker(organisation: Any, username: str = "decider") -> Any:
    return UserFactory(organisation=organisation, roles=[Role.NRM_DECISION_MAKER], username=username)


def consent(case: Case, purpose: str = Purpose.COMPETENT_AUTHORITY, **fields: Any) -> Consent:
    """An active consent recorded directly (the service is tested on its own)."""
    defaults = {
        "basis": Basis.GUARDIAN if case.treated_as_child else Basis.PERSON,
        "language": "en",
        "given_on": timezone.localdate(),
        "recorded_by": case.created_by,
    }
    given = Consent.objects.create(case=case, purpose=purpose, **{**defaults, **fields})
    reactions.case_counted(case.pk)
    return given


def case_related_to(organisation: Any, owner: Any) -> Case:
    """For the role matrix: a case of `organisation`, opened by `owner`, referred to `organisation` as the
    competent authority with the person's consent, and shared with `owner` through an access grant."""
    case = CaseFactory(
        organisation=organisation, created_by=owner, stage="referred", referred_to=organisation
    )
    consent(case, organisation=organisation)
    CaseAccess.objects.create(case=case, user=owner, field_groups=["identity"], granted_by=owner)
    return case


def handover_to(organisation: Any, *, case: Case | None = None, **fields: Any) -> Any:
    """A proposed handover of `case` (default: a new case of a third organisation) to `organisation`, on the
    person's consent to a referral there."""
    from lantern.cases.models import Handover

    if case is None:
        case = CaseFactory(organisation=OrganisationFactory(name="Sending Organisation"))
    fields.setdefault("consent", consent(case, Purpose.REFERRAL, organisation=organisation))
    return Handover.objects.create(
        case=case,
        from_organisation_id=case.organisation_id,
        to_organisation=organisation,
        proposed_by=case.created_by,
        **fields,
    )
