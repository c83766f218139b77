"""Policy-matrix rows for the training actions (imported by authz/tests/test_policy_matrix.py).

"Own" for `training.take` is a quiz attempt of the actor themself, for `training.certificate` a certificate of
the actor; "other" is the attempt or certificate of the same role in the other organisation (never one's own).
For `training.coverage` the object is the organisation.
"""

from __future__ import annotations

from typing import Any

from lantern.accounts.roles import Role

ALL = frozenset(Role)
NONE: frozenset[str] = frozenset()

MATRIX: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "training.take": (ALL, NONE),
    "training.certificate": (ALL, NONE),
    "training.coverage": (frozenset({Role.ORG_ADMIN}), NONE),
}


def object_for(action: str, organisation: Any, owner: Any) -> Any:
    from lantern.accounts.models import Organisation

    from .factories import CertificateFactory, QuizAttemptFactory

    if action == "training.coverage":
        return Organisation.objects.get(pk=organisation.pk)
    if action == "training.certificate":
        return CertificateFactory(user=owner, organisation=organisation)
    return QuizAttemptFactory(user=owner, organisation=organisation)
