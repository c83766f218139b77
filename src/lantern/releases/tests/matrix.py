"""Policy-matrix rows for the release actions (imported by authz/tests/test_policy_matrix.py).

"Own" is a release of the actor's organisation (Greece), made by another NRM decision-maker (so a reviewer is
not its author); for viewing and downloading it is published. "Other" is a release of the organisation in
France: published releases stop at the border, unpublished ones at the organisation. For `release.create` the
object is the organisation.
"""

from __future__ import annotations

from typing import Any

from lantern.accounts.roles import Role

MAKERS = frozenset({Role.NRM_DECISION_MAKER})
READERS = frozenset({Role.NRM_DECISION_MAKER, Role.STATISTICS_VIEWER})
NONE: frozenset[str] = frozenset()

MATRIX: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "release.create": (MAKERS, NONE),
    "release.view": (READERS, NONE),
    "release.download": (READERS, NONE),
    "release.review": (MAKERS, NONE),
    "release.publish": (MAKERS, NONE),
}


def _authority_in(organisation: Any) -> Any:
    """Releases are made in a competent authority: the organisation itself, or its country's."""
    from lantern.accounts.models import Organisation
    from lantern.accounts.roles import OrganisationType

    if organisation.type == OrganisationType.NRM_AUTHORITY:
        return organisation
    authority = Organisation.objects.filter(type=OrganisationType.NRM_AUTHORITY, country=organisation.country)
    return authority.order_by("pk").first() or Organisation.objects.create(
        name=f"Competent authority {organisation.country.code}",
        type=OrganisationType.NRM_AUTHORITY,
        country=organisation.country,
    )


def object_for(action: str, organisation: Any, owner: Any) -> Any:
    from lantern.accounts.models import Organisation

    from .factories import ReleaseFactory, published, reviewed

    if action == "release.create":
        return Organisation.objects.get(pk=organisation.pk)
    release = ReleaseFactory(organisation=_authority_in(organisation))
    if action in ("release.view", "release.download"):
        return published(release)
    if action == "release.publish":
        return reviewed(release)
    return release
