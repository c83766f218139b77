"""Administrators see the helplines last checked more than twelve months ago; nobody else sees the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.public import staff_views

pytestmark = pytest.mark.django_db


def _on(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(staff_views.timezone, "localdate", lambda: day)


def test_an_administrator_sees_every_helpline_once_they_are_over_a_year_old(
    login_client: Any, personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = login_client(personas.own[Role.ORG_ADMIN])
    _on(monkeypatch, dt.date(2027, 11, 15))
    body = client.get(reverse("public:helplines_review")).content.decode()
    assert 'id="no-stale-helplines"' in body
    _on(monkeypatch, dt.date(2028, 1, 15))
    body = client.get(reverse("public:helplines_review")).content.decode()
    assert 'id="stale-helplines"' in body and 'data-number="1109"' in body and 'data-number="999"' in body


@pytest.mark.parametrize("role", [Role.SCREENER, Role.CASE_WORKER, Role.LAWYER, Role.STATISTICS_VIEWER])
def test_other_roles_may_not_see_the_review(login_client: Any, personas: Any, role: str) -> None:
    response = login_client(personas.own[role]).get(reverse("public:helplines_review"))
    assert response.status_code == 403


@pytest.mark.parametrize(("role", "shown"), [(Role.ORG_ADMIN, True), (Role.SCREENER, False)])
def test_the_menu_leads_administrators_and_only_them_to_the_review(
    login_client: Any, personas: Any, role: str, shown: bool
) -> None:
    home = login_client(personas.own[role]).get(reverse("web:home")).content.decode()
    assert (f'href="{reverse("public:helplines_review")}"' in home) is shown
