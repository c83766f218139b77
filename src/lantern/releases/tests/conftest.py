"""Fixtures for the releases tests.

Besides the `personas` (organisation "own" in Greece, "other" in France; one user per role in each):
- `coordinator`: the own country's NRM decision-maker (in `personas.own_authority`; makes releases);
  `second_coordinator`: another NRM decision-maker of the same authority (reviews them);
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
        organisation=personas.own_authority, roles=[Role.NRM_DECISION_MAKER], username="own_reviewer"
    )
