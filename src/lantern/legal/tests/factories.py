"""Factories for the legal track."""

from __future__ import annotations

from typing import Any

from lantern.cases.models import CaseAccess
from lantern.cases.tests.factories import case_related_to
from lantern.legal.models import LegalTrack


def assign(case: Any, lawyer: Any, groups: tuple[str, ...] = ("legal",)) -> LegalTrack:
    """The lawyer assigned directly (the service, with its consent check, is tested on its own)."""
    access = CaseAccess.objects.create(case=case, user=lawyer, field_groups=list(groups), granted_by=lawyer)
    track, _ = LegalTrack.objects.update_or_create(
        case=case, defaults={"lawyer": lawyer, "lawyer_access": access}
    )
    return track


def legal_track_related_to(organisation: Any, owner: Any) -> LegalTrack:
    """For the role matrix: the legal track of `case_related_to(organisation, owner)`, with `owner` assigned
    as its lawyer (the rule still asks for the lawyer role)."""
    return assign(case_related_to(organisation, owner), owner)
