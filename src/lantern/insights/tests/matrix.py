"""Policy-matrix rows for the insights actions (imported by authz/tests/test_policy_matrix.py).

The object is the organisation whose cases would be counted. "Own" is the actor's organisation (Greece in the
personas), "other" an organisation of another country (France): national figures stop at the border, and an
organisation administrator counts only their own organisation.
"""

from __future__ import annotations

from typing import Any

from lantern.accounts.roles import Role

VIEWERS = frozenset({Role.STATISTICS_VIEWER, Role.NRM_DECISION_MAKER, Role.ORG_ADMIN})
NONE: frozenset[str] = frozenset()

MATRIX: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "insights.view": (VIEWERS, NONE),
    "insights.export": (VIEWERS, NONE),
    "insights.microdata": (frozenset({Role.NRM_DECISION_MAKER}), NONE),
}


def object_for(action: str, organisation: Any, owner: Any) -> Any:
    from lantern.accounts.models import Organisation

    return Organisation.objects.get(pk=organisation.pk)
