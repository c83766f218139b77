"""Attaching a screening to a case (moved from cases/tests/test_sharing.py with `attach_screening`)."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.authz.gate import NotVisible
from lantern.cases.models import CaseEvent
from lantern.cases.tests.conftest import open_case, today, worker  # noqa: F401
from lantern.screening.models import Screening
from lantern.screening.services import attach_screening

pytestmark = pytest.mark.django_db


def test_a_screening_of_the_organisation_is_attached_and_the_timeline_says_so(
    open_case: Any,  # noqa: F811
    worker: Any,  # noqa: F811
) -> None:
    case = open_case()
    screening = Screening.objects.create(organisation=case.organisation, created_by=worker)
    assert attach_screening(actor=worker, case=case, screening_id=screening.pk) == screening
    screening.refresh_from_db()
    assert screening.case_id == case.pk
    assert case.events.filter(kind=CaseEvent.Kind.SCREENING_ATTACHED).exists()


def test_another_organisations_screening_cannot_be_attached(
    open_case: Any,  # noqa: F811
    worker: Any,  # noqa: F811
    personas: Any,
) -> None:
    other = personas.other[Role.CASE_WORKER]
    screening = Screening.objects.create(organisation=personas.other_org, created_by=other)
    with pytest.raises(NotVisible):
        attach_screening(actor=worker, case=open_case(), screening_id=screening.pk)
