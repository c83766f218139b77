"""Fixtures for the referrals tests.

Besides the `personas` (organisation "own", a reception centre in Greece, holds the cases; "other", an NGO in
France) and the cases fixtures (`worker` = own case worker, `open_case`, `refer`, `nrm`, `decider`):
- `shelter_org`: a shelter in Greece; `shelter_staff` its service-provider staff, `shelter_worker` its case
  worker; `offer` its shelter service with two free places;
- `abroad_offer`: a shelter service of the "other" organisation, in France (a transnational referral);
- `consent_to(case, organisation)`: the person's consent to a referral to that organisation.
"""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.cases import services as case_services
from lantern.cases.models import Basis, Purpose
from lantern.cases.tests import conftest as cases_fixtures

from .factories import ServiceOfferFactory, shelter, staff

# The cases app's fixtures, shared.
today, nrm, decider = cases_fixtures.today, cases_fixtures.nrm, cases_fixtures.decider
worker, open_case, refer = cases_fixtures.worker, cases_fixtures.open_case, cases_fixtures.refer


@pytest.fixture
def shelter_org(personas: Any) -> Any:
    return shelter()


@pytest.fixture
def shelter_staff(shelter_org: Any) -> Any:
    return staff(shelter_org)


@pytest.fixture
def shelter_worker(shelter_org: Any) -> Any:
    return staff(shelter_org, Role.CASE_WORKER, "shelter_case_worker")


@pytest.fixture
def offer(shelter_org: Any) -> Any:
    return ServiceOfferFactory(organisation=shelter_org)


@pytest.fixture
def abroad_offer(personas: Any) -> Any:
    return ServiceOfferFactory(
        organisation=personas.other_org, region="Île-de-France", languages=["fr", "en"]
    )


@pytest.fixture
def consent_to(worker: Any) -> Any:
    def record(case: Any, organisation: Any, purpose: str = Purpose.REFERRAL, **fields: Any) -> Any:
        return case_services.record_consent(
            actor=worker,
            case=case,
            purpose=purpose,
            basis=Basis.PERSON,
            language="ar",
            organisation=organisation,
            **fields,
        )

    return record
