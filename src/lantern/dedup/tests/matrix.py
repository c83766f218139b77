"""The dedup rows of the role × action matrix (`authz/tests/test_policy_matrix.py` imports them).

"Own" pair: two cases of the organisation, each referred to it as the competent authority with the person's
consent (`cases.tests.factories.case_related_to`) — so the organisation's decision-maker sees both. "Own"
run: the actor's organisation.
"""

from __future__ import annotations

from typing import Any

from lantern.accounts.roles import Role

REVIEWERS = frozenset({Role.NRM_DECISION_MAKER})

MATRIX: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "dedup.review": (REVIEWERS, frozenset()),
    "dedup.run": (REVIEWERS, frozenset()),
}


def object_for(action: str, organisation: Any, owner: Any) -> Any:
    from lantern.accounts.models import Organisation

    if action == "dedup.run":
        return Organisation.objects.get(pk=organisation.pk)
    from .factories import pair_related_to

    return pair_related_to(organisation, owner)
