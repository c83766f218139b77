"""The forms that make or change an account or an organisation carry an idempotency key: a double-clicked
submit is applied once, and the same key sent with other content is shown again, not applied."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.http import QueryDict
from django.urls import reverse

from lantern.accounts import services
from lantern.accounts.models import Organisation, User
from lantern.accounts.roles import Role
from lantern.screening.models import ProcessedSubmission
from lantern.web.idempotency import new_key, payload_digest

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="idempotency_key" value="[0-9a-f-]{36}"')
STALE = "already sent once"


@pytest.fixture
def calls(monkeypatch: Any) -> Any:
    """``calls(name)`` counts the calls of the accounts service `name` (updates leave no row to count)."""
    counted: dict[str, int] = {}

    def watch(name: str) -> Any:
        real = getattr(services, name)
        counted[name] = 0

        def counting(**kwargs: Any) -> Any:
            counted[name] += 1
            return real(**kwargs)

        monkeypatch.setattr(services, name, counting)
        return counted

    return watch


def test_a_double_clicked_account_change_is_applied_once(
    login_client: Any, personas: Any, calls: Any
) -> None:
    counted = calls("update_user")
    target = personas.own[Role.SCREENER]
    client = login_client(personas.own[Role.ORG_ADMIN])
    url = reverse("accounts:user_edit", args=[target.pk])
    assert KEY.search(client.get(url).content.decode())
    data = {"email": "screener@example.invalid", "roles": ["screener"], "is_active": "on"}
    data["idempotency_key"] = new_key()
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert counted["update_user"] == 1
    again = client.post(url, {**data, "email": "changed@example.invalid"})
    body = again.content.decode()
    assert again.status_code == 200 and STALE in body and "changed@example.invalid" in body
    target.refresh_from_db()
    assert target.email == "screener@example.invalid" and counted["update_user"] == 1


def test_a_double_clicked_new_organisation_is_created_once(login_client: Any, personas: Any) -> None:
    client = login_client(personas.own[Role.SYSTEM_ADMIN])
    url = reverse("accounts:organisation_create")
    assert KEY.search(client.get(url).content.decode())
    data = {"name": "Harbour Clinic", "type": "ngo", "country": "GR", "languages": "el, en", "active": "on"}
    data["idempotency_key"] = new_key()
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Organisation.objects.filter(name="Harbour Clinic").count() == 1
    again = client.post(url, {**data, "name": "Harbour Clinic North"})
    assert again.status_code == 200 and STALE in again.content.decode()
    assert not Organisation.objects.filter(name="Harbour Clinic North").exists()


def test_a_double_clicked_organisation_change_is_applied_once(
    login_client: Any, personas: Any, calls: Any
) -> None:
    counted = calls("update_organisation")
    organisation = personas.own_org
    client = login_client(personas.own[Role.ORG_ADMIN])
    url = reverse("accounts:organisation_edit", args=[organisation.pk])
    assert KEY.search(client.get(url).content.decode())
    data = {
        "name": organisation.name,
        "type": organisation.type,
        "country": organisation.country.code,
        "languages": "el, en, ar",
        "active": "on",
        "idempotency_key": new_key(),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert counted["update_organisation"] == 1
    again = client.post(url, {**data, "languages": "fr"})
    assert again.status_code == 200 and STALE in again.content.decode()
    organisation.refresh_from_db()
    assert organisation.languages == ["el", "en", "ar"] and counted["update_organisation"] == 1


def test_a_double_clicked_new_account_is_created_once_and_its_password_is_not_kept(
    login_client: Any, personas: Any
) -> None:
    client = login_client(personas.own[Role.ORG_ADMIN])
    url = reverse("accounts:user_create")
    assert KEY.search(client.get(url).content.decode())
    password = "a long new password 7"
    data = {
        "username": "newcomer",
        "email": "new@example.invalid",
        "roles": ["screener"],
        "organisation": str(personas.own_org.pk),
        "password": password,
        "idempotency_key": new_key(),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert User.objects.filter(username="newcomer").count() == 1
    # The key's digest is of the other fields only: no fast hash of the password is stored.
    kept = QueryDict(mutable=True)
    for name in ("username", "email", "roles", "organisation"):
        kept.setlist(name, data[name] if isinstance(data[name], list) else [data[name]])
    assert ProcessedSubmission.objects.get(key=data["idempotency_key"]).payload_digest == payload_digest(kept)
    again = client.post(url, {**data, "username": "newcomer2"})
    body = again.content.decode()
    assert again.status_code == 200 and STALE in body and 'value="newcomer2"' in body
    assert password not in body and not User.objects.filter(username="newcomer2").exists()
