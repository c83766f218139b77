"""Factories for the dedup tests: cases with identities, and pairs of cases."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lantern.cases.tests.factories import CaseFactory, case_related_to, consent
from lantern.dedup.models import Band, MatchPair


def person_case(organisation: Any, authority: Any = None, **identity: Any) -> Any:
    """A case of `organisation` with the given identity; referred (with consent) to `authority` if given."""
    fields: dict[str, Any] = {"given_names": "", "family_name": "", **identity}
    if authority is not None:
        fields.update(stage="referred", referred_to=authority)
    case = CaseFactory(organisation=organisation, **fields)
    if authority is not None:
        consent(case, organisation=authority)
    return case


def pair_of(
    first: Any, second: Any, probability: float = 0.8, band: str = Band.REVIEW, **fields: Any
) -> MatchPair:
    left, right = sorted((first, second), key=lambda case: case.pk)
    return MatchPair.objects.create(
        left=left,
        right=right,
        probability=probability,
        band=band,
        levels=fields.pop("levels", {"given_name": 0, "family_name": 1, "date_of_birth": 6}),
        scored_at=timezone.now(),
        **fields,
    )


def pair_related_to(organisation: Any, owner: Any) -> MatchPair:
    """For the role matrix: a pair of two cases that `organisation`'s decision-maker may both see."""
    return pair_of(case_related_to(organisation, owner), case_related_to(organisation, owner))
