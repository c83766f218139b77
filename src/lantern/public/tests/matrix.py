"""Policy-matrix rows for the public app's one action (imported by authz/tests/test_policy_matrix.py).

The helplines are shared content (no organisation): "own" and "other" are the same, no object.
"""

from __future__ import annotations

from typing import Any

from lantern.accounts.roles import Role

ADMINS = frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN})

MATRIX: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "helplines.review": (ADMINS, ADMINS),
}


def object_for(action: str, organisation: Any, owner: Any) -> Any:
    return None
