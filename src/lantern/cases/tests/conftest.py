"""Fixtures for the cases tests: a competent authority with its decision-maker, and cases opened through the
services by the "own" organisation's case worker (see the `personas` fixture)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lantern.accounts.roles import OrganisationType, Role
from lantern.accounts.tests.factories import OrganisationFactory, UserFactory
from lantern.cases import services
from lantern.cases.models import Basis, Purpose

from .factories import authority, decision_maker


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def nrm(personas: Any) -> Any:
    """The competent authority (an NRM authority organisation)."""
    return authority()


@pytest.fixture
def decider(nrm: Any) -> Any:
    """The NRM decision-maker of the competent authority."""
    return decision_maker(nrm)


@pytest.fixture
def worker(personas: Any) -> Any:
    """The case worker of the organisation that holds the cases."""
    return personas.own[Role.CASE_WORKER]


@pytest.fixture
def open_case(worker: Any, today: dt.date) -> Any:
    """``open_case(profile="uk-style", days_ago=10, **fields)`` → a case opened by the case worker."""

    def make(profile: str = "coe-generic", days_ago: int = 10, actor: Any = None, **fields: Any) -> Any:
        data = {
            "given_names": "Amina",
            "family_name": "Okafor",
            "identified_on": today - dt.timedelta(days=days_ago),
        }
        return services.create_case(actor=actor or worker, data={**data, **fields}, profile=profile)

    return make


@pytest.fixture
def refer(worker: Any, nrm: Any, today: dt.date) -> Any:
    """``refer(case, days_ago=0)`` → the case, with the person's consent, referred to the authority."""

    def make(case: Any, days_ago: int = 0) -> Any:
        on = today - dt.timedelta(days=days_ago)
        services.record_consent(
            actor=worker,
            case=case,
            purpose=Purpose.COMPETENT_AUTHORITY,
            basis=Basis.PERSON,
            language="ar",
            given_on=on,
        )
        return services.refer_to_nrm(actor=worker, case=case, authority=nrm, on=on)

    return make


@pytest.fixture
def ngo(personas: Any) -> Any:
    """An NGO that manages cases, in the own organisation's country: where handovers go."""
    return OrganisationFactory(name="Safe Passage NGO", type=OrganisationType.NGO, country="GR")


@pytest.fixture
def ngo_worker(ngo: Any) -> Any:
    return UserFactory(organisation=ngo, roles=[Role.CASE_WORKER], username="ngo_worker")
