"""CTDC microdata: one row per distinct person, CTDC field names in order, consented cases only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.cases.models import Case
from lantern.insights import microdata, selectors

from .conftest import same_person

pytestmark = pytest.mark.django_db


def test_rows_have_exactly_the_ctdc_fields_in_order(personas: Any, counted_case: Any, decide: Any) -> None:
    counted_case(
        personas.own_org,
        identified_on=dt.date(2025, 3, 10),
        date_of_birth="2010-01-01",
        sex="female",
        citizenships=["NG", "GR"],
        exploitation_forms=["sexual", "domestic_servitude"],
        exploitation_countries=["IT"],
        documents_withheld=True,
    )
    [row] = microdata.ctdc_rows(Case.objects.all())
    assert tuple(row) == microdata.CTDC_FIELDS
    assert len(microdata.CTDC_FIELDS) == len(set(microdata.CTDC_FIELDS)) == 63
    assert row["yearOfRegistration"] == 2025
    assert row["Datasource"] == "Case Management"
    assert row["gender"] == "Female"
    assert row["ageBroad"] == "9--17" and row["majorityStatus"] == "Minor"
    assert row["citizenship"] == "GR" and row["CountryOfExploitation"] == "IT"  # nationals first
    assert row["isSexualExploit"] == row["isForcedLabour"] == row["isSexAndLabour"] == 1
    assert row["isOtherExploit"] == row["isOrganRemoval"] == 0
    assert row["typeOfLabourDomesticWork"] == 1 and row["typeOfLabourAgriculture"] is None
    assert row["typeOfExploitConcatenated"] == "Forced labour; Sexual exploitation"
    assert row["meansOfControlWithholdsDocuments"] == 1 and row["meansOfControlNotSpecified"] == 0
    assert row["meansOfControlThreats"] is None  # Lantern does not record it
    assert row["isAbduction"] is None and row["recruiterRelationFamily"] is None


def test_unknown_values_stay_empty(personas: Any, counted_case: Any) -> None:
    counted_case(personas.own_org, sex="unknown", citizenships=[], exploitation_forms=[])
    [row] = microdata.ctdc_rows(Case.objects.all())
    assert row["gender"] is None and row["ageBroad"] is None and row["majorityStatus"] is None
    assert row["citizenship"] is None and row["isForcedLabour"] is None
    assert row["typeOfExploitConcatenated"] is None


def test_cases_without_consent_to_statistics_are_never_exported(personas: Any, counted_case: Any) -> None:
    counted_case(personas.own_org, statistics=False)
    assert microdata.ctdc_rows(Case.objects.all()) == []
    assert microdata.ctdc_rows(list(Case.objects.all())) == []


def test_one_row_per_person(personas: Any, greek_ngo: Any, counted_case: Any, monkeypatch: Any) -> None:
    first = counted_case(personas.own_org, identified_on=dt.date(2024, 5, 1), sex="unknown")
    second = counted_case(greek_ngo, identified_on=dt.date(2025, 5, 1), sex="male")
    same_person(monkeypatch, first, second)
    coordinator = personas.own[Role.NRM_DECISION_MAKER]
    [row] = microdata.ctdc_rows(selectors.countable_cases(coordinator, "insights.microdata"))
    assert row["yearOfRegistration"] == 2024 and row["gender"] == "Male"
