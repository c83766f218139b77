"""Dates of a case lie from 1900 to today, on pages and in the API, and the error says so (schema fuzzing
stored a case identified in the year 0001)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.cases.models import Case, Consent

pytestmark = pytest.mark.django_db

IMPLAUSIBLE = ["0001-01-01", "1899-12-31", "9999-12-31"]


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_the_api_refuses_a_case_identified_on_an_implausible_date(
    client: Client, worker: Any, day: str
) -> None:
    response = client.post(
        "/api/v1/cases/",
        {"profile": "uk-style", "identified_on": day},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 400 and "1900" in response.json()["identified_on"][0]
    assert not Case.objects.exists()


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_the_api_refuses_an_implausible_age_assessment_date(
    client: Client, worker: Any, open_case: Any, day: str
) -> None:
    case = open_case()
    response = client.patch(
        f"/api/v1/cases/{case.pk}/",
        {"age_assessed_on": day},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 400 and "1900" in response.json()["age_assessed_on"][0]


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_the_api_refuses_a_consent_given_on_an_implausible_date(
    client: Client, worker: Any, open_case: Any, day: str
) -> None:
    response = client.post(
        f"/api/v1/cases/{open_case().pk}/consents/",
        {"purpose": "competent_authority", "basis": "person", "language": "ar", "given_on": day},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 400 and "1900" in str(response.json()), response.content
    assert not Consent.objects.exists()


def test_the_case_form_refuses_the_year_0001_and_states_the_rule(
    login_client: Any, personas: Any, today: dt.date
) -> None:
    client = login_client(personas.own[Role.SCREENER])
    response = client.post(
        reverse("cases:create"), {"profile": "coe-generic", "identified_on": "0001-01-01", "given_names": "A"}
    )
    assert response.status_code == 200 and not Case.objects.exists()
    assert "to today" in response.content.decode()
    response = client.post(
        reverse("cases:create"),
        {"profile": "coe-generic", "identified_on": today.isoformat(), "given_names": "A"},
    )
    assert response.status_code == 302  # the allowed twin
