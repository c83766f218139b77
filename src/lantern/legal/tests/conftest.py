"""Fixtures for the legal track: the cases fixtures (a case worker's cases of the "own" organisation), and a
lawyer of the other organisation the person agreed to be referred to."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.cases import services as case_services
from lantern.cases.models import Basis, Purpose
from lantern.cases.tests.conftest import open_case, today, worker  # noqa: F401  (shared fixtures)


@pytest.fixture
def lawyer(personas: Any) -> Any:
    """A legal-aid lawyer of the other organisation."""
    return personas.other[Role.LAWYER]


@pytest.fixture
def consent_to(worker: Any) -> Any:  # noqa: F811 (the imported fixture)
    """``consent_to(case, organisation)`` → the person's consent to a referral to that organisation."""

    def make(case: Any, organisation: Any) -> Any:
        return case_services.record_consent(
            actor=worker,
            case=case,
            purpose=Purpose.REFERRAL,
            basis=Basis.PERSON,
            organisation=organisation,
            language="ar",
        )

    return make
