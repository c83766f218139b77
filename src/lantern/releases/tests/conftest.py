"""Fixtures for the releases tests.

Besides the `personas` (organisation "own" in Greece, "other" in France; one user per role in each):
- `coordinator`: the own organisation's NRM decision-maker (makes releases); `second_coordinator`: another NRM
  decision-maker of the same organisation (reviews them);
- `counted_case(organisation, statistics=True, **fields)`: a case counted in statistics (the insights app's).
"""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import UserFactory
from lantern.insights.tests import conftest as insights_fixtures

counted_case = insights_fixtures.counted_case


@pytest.fixture
def coordinator(personas: Any) -> Any:
    return personas.own[Role.NRM_DECISION_MAKER]


@pytest.fixture
def second_coordinator(personas: Any) -> Any:
    return UserFactory(
        organisation=personas.own_org, roles=[Role.NRM_DECISION_MAKER], username="own_reviewer"
    )
