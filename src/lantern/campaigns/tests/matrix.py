"""Policy-matrix rows for the campaign actions (imported by authz/tests/test_policy_matrix.py).

"Own" is a campaign of the actor's organisation; "other" a campaign of another organisation that does not
name the actor's organisation as a partner (partners are tested in test_permissions.py).
"""

from __future__ import annotations

from typing import Any

from lantern.accounts.roles import Role

EDITORS = frozenset({Role.ORG_ADMIN, Role.CASE_WORKER})
READERS = frozenset({Role.ORG_ADMIN, Role.CASE_WORKER, Role.STATISTICS_VIEWER})
NONE: frozenset[str] = frozenset()

MATRIX: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "campaign.view": (READERS, NONE),
    "campaign.change": (EDITORS, NONE),
    "campaign.reach": (READERS, NONE),
}


def object_for(action: str, organisation: Any, owner: Any) -> Any:
    from .factories import CampaignFactory

    return CampaignFactory(organisation=organisation)
