"""Fixtures for the statistics tests: cases counted in statistics (with the statistics consent), opened
directly with the cases factories, in the personas' organisations and in a second Greek organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lantern.accounts.roles import OrganisationType
from lantern.accounts.tests.factories import OrganisationFactory
from lantern.cases import reactions
from lantern.cases.models import Decision, Purpose
from lantern.cases.tests.factories import CaseFactory, consent


@pytest.fixture
def greek_ngo(personas: Any) -> Any:
    """A second organisation in Greece (the own organisation's country)."""
    return OrganisationFactory(name="Aegean Outreach NGO", type=OrganisationType.NGO, country="GR")


@pytest.fixture
def counted_case() -> Any:
    """``counted_case(organisation, statistics=True, **fields)`` → a case, with the person's consent to
    inclusion in statistics unless statistics=False."""

    def make(organisation: Any, statistics: bool = True, **fields: Any) -> Any:
        defaults = {"identified_on": dt.date(2025, 3, 10), "sex": "female", "citizenships": ["NG"]}
        case = CaseFactory(organisation=organisation, **{**defaults, **fields})
        if statistics:
            consent(case, purpose=Purpose.STATISTICS)
        return case

    return make


@pytest.fixture
def decide() -> Any:
    """``decide(case, stage, outcome, on)`` → a decision recorded directly (its fact row rebuilt)."""

    def make(case: Any, stage: str, outcome: str, on: dt.date) -> Decision:
        decision = Decision.objects.create(
            case=case, stage=stage, outcome=outcome, decided_on=on, reasons="r", decided_by=case.created_by
        )
        reactions.case_counted(case.pk)  # what `cases.services.record_decision` does after its writes
        return decision

    return make


def same_person(monkeypatch: Any, *cases: Any) -> None:
    """Make the de-duplication say these cases are one person (every other case stays its own)."""
    from lantern.dedup import persons

    ids = {case.pk for case in cases}

    def person_ids(case_ids: Any) -> dict[int, str]:
        return {pk: ("person-shared" if pk in ids else f"case-{pk}") for pk in case_ids}

    monkeypatch.setattr(persons, "person_ids", person_ids)
