"""Statistics count distinct persons: a person referred by two organisations counts once, everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.insights import microdata, reports, selectors
from lantern.insights.statistics import Filters

from .conftest import same_person

pytestmark = pytest.mark.django_db


def test_a_person_referred_by_two_organisations_counts_once(
    personas: Any, greek_ngo: Any, counted_case: Any, monkeypatch: Any
) -> None:
    coordinator = personas.own[Role.NRM_DECISION_MAKER]
    first = counted_case(personas.own_org, identified_on=dt.date(2025, 2, 1))
    second = counted_case(greek_ngo, identified_on=dt.date(2025, 4, 1))
    counted_case(greek_ngo, identified_on=dt.date(2025, 5, 1), sex="male")

    before = reports.dashboard_report(coordinator, Filters())
    assert before.persons == 3

    same_person(monkeypatch, first, second)
    report = reports.dashboard_report(coordinator, Filters())
    assert report.persons == 2
    sex = report.table("sex")
    assert sex is not None
    assert {row.code: row.values[-1] for row in sex.rows}["female"] == 1
    assert sex.total.values[-1] == 2
    organisations = report.table("organisation_type")
    assert organisations is not None
    # the person counts for the organisation that registered them first
    assert {row.code: row.values[-1] for row in organisations.rows} == {
        "reception_centre": 1,
        "ngo": 1,
        "total": 2,
    }

    eurostat = reports.eurostat_report(coordinator, 2025)
    assert eurostat.persons == 2
    assert all(table.total.values[-1] == 2 for table in eurostat.tables)

    rows = microdata.ctdc_rows(selectors.countable_cases(coordinator, "insights.microdata"))
    assert len(rows) == 2


def test_the_period_filter_applies_to_the_first_registration(
    personas: Any, greek_ngo: Any, counted_case: Any, monkeypatch: Any
) -> None:
    coordinator = personas.own[Role.NRM_DECISION_MAKER]
    first = counted_case(personas.own_org, identified_on=dt.date(2024, 12, 20))
    second = counted_case(greek_ngo, identified_on=dt.date(2025, 1, 15))
    same_person(monkeypatch, first, second)
    in_2025 = Filters(registered_from=dt.date(2025, 1, 1), registered_to=dt.date(2025, 12, 31))
    assert reports.dashboard_report(coordinator, in_2025).persons == 0
    assert reports.eurostat_report(coordinator, 2024).persons == 1
    assert reports.eurostat_report(coordinator, 2025).persons == 0
