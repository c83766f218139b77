"""Attaching screenings to a case (when the screening app is installed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from lantern.accounts.roles import Role
from lantern.authz.gate import NotVisible
from lantern.cases.models import CaseEvent
from lantern.cases.sharing import attach_screening, screening_model

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("lantern.screening"), reason="the screening app is not installed"
    ),
]


def test_a_screening_of_the_organisation_is_attached_and_the_timeline_says_so(
    open_case: Any, worker: Any
) -> None:
    case = open_case()
    screening = screening_model().objects.create(organisation=case.organisation, created_by=worker)
    assert attach_screening(actor=worker, case=case, screening_id=screening.pk) is True
    screening.refresh_from_db()
    assert screening.case_id == case.pk
    assert case.events.filter(kind=CaseEvent.Kind.SCREENING_ATTACHED).exists()


def test_another_organisations_screening_cannot_be_attached(
    open_case: Any, worker: Any, personas: Any
) -> None:
    other = personas.other[Role.CASE_WORKER]
    screening = screening_model().objects.create(organisation=personas.other_org, created_by=other)
    with pytest.raises(NotVisible):
        attach_screening(actor=worker, case=open_case(), screening_id=screening.pk)
