"""Case and referral forms carry an idempotency key: a double-clicked submit is applied once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from lantern.audit.models import AuditRecord
from lantern.cases.models import Case
from lantern.web.idempotency import new_key

pytestmark = pytest.mark.django_db


def test_the_new_case_form_carries_a_key_and_a_double_click_opens_one_case(
    login_client: Any, worker: Any, today: Any
) -> None:
    client = login_client(worker)
    url = reverse("cases:create")
    assert re.search(r'name="idempotency_key" value="[0-9a-f-]{36}"', client.get(url).content.decode())
    data = {"profile": "coe-generic", "identified_on": today.isoformat(), "idempotency_key": new_key()}
    first, second = client.post(url, data), client.post(url, data)
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("cases:detail", args=[case.pk])


def test_the_same_key_with_changed_input_is_shown_again_not_applied(
    login_client: Any, worker: Any, today: Any
) -> None:
    client = login_client(worker)
    key = new_key()
    data = {"profile": "coe-generic", "identified_on": today.isoformat(), "idempotency_key": key}
    client.post(reverse("cases:create"), data)
    again = client.post(reverse("cases:create"), {**data, "given_names": "Changed"})
    body = again.content.decode()
    assert again.status_code == 200 and "already sent once" in body and 'value="Changed"' in body
    assert key not in body and Case.objects.count() == 1


def test_a_double_clicked_section_edit_is_recorded_once(
    login_client: Any, worker: Any, open_case: Any
) -> None:
    case = open_case()
    client = login_client(worker)
    url = reverse("cases:section", args=[case.pk, "background"])
    data = {"citizenships": ["NG"], "languages": "en", "idempotency_key": new_key()}
    before = AuditRecord.objects.filter(object_type="cases.case", object_id=str(case.pk), action="update")
    count = before.count()
    assert client.post(url, data).status_code == client.post(url, data).status_code == 302
    assert before.count() == count + 1


def test_a_double_clicked_new_need_is_added_once(login_client: Any, worker: Any, open_case: Any) -> None:
    from lantern.referrals.models import Need

    case = open_case()
    client = login_client(worker)
    url = reverse("referrals:need_create", args=[case.pk])
    assert 'name="idempotency_key"' in client.get(url).content.decode()
    data = {
        "kind": "accommodation",
        "description": "A safe place tonight",
        "priority": "urgent",
        "status": "identified",
        "idempotency_key": new_key(),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Need.objects.filter(case=case).count() == 1


def test_a_double_clicked_new_directory_offer_is_added_once(login_client: Any, personas: Any) -> None:
    from lantern.accounts.roles import Role
    from lantern.referrals.models import ServiceOffer

    client = login_client(personas.own[Role.ORG_ADMIN])
    url = reverse("referrals:offer_create")
    assert 'name="idempotency_key"' in client.get(url).content.decode()
    data = {
        "service": "shelter",
        "region": "Attica",
        "languages": "el, en",
        "gender": "any",
        "ages": "any",
        "total_places": "4",
        "free_places": "2",
        "active": "on",
        "idempotency_key": new_key(),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert ServiceOffer.objects.filter(region="Attica").count() == 1
