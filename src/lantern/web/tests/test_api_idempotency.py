"""An API write sent again with its Idempotency-Key acts once; the same key for another request is refused."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import UserFactory
from lantern.cases import services as case_services
from lantern.cases.models import Case
from lantern.web import api_idempotency
from lantern.web.idempotency import forget_processed_submissions
from lantern.web.models import ApiIdempotencyKey

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def payload(today: dt.date) -> dict[str, Any]:
    return {"profile": "uk-style", "identified_on": today.isoformat(), "family_name": "Okafor"}


def create(client: Client, auth: dict[str, str], payload: dict[str, Any], key: str | None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/v1/cases/", payload, content_type="application/json", **auth, **headers)


def test_a_retried_create_returns_the_first_answer_and_creates_one_case(
    client: Client, worker: Any, payload: dict[str, Any]
) -> None:
    auth, key = bearer(worker), str(uuid.uuid4())
    first = create(client, auth, payload, key)
    again = create(client, auth, payload, key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_422_and_changes_nothing(
    client: Client, worker: Any, payload: dict[str, Any]
) -> None:
    auth, key = bearer(worker), str(uuid.uuid4())
    create(client, auth, payload, key)
    other = create(client, auth, {**payload, "family_name": "Mensah"}, key)
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    assert list(Case.objects.values_list("pk", flat=True)) == [Case.objects.get().pk]


def test_without_a_key_every_send_acts(client: Client, worker: Any, payload: dict[str, Any]) -> None:
    auth = bearer(worker)
    create(client, auth, payload, None)
    create(client, auth, payload, None)
    assert Case.objects.count() == 2 and not ApiIdempotencyKey.objects.exists()


def test_keys_belong_to_their_user(client: Client, worker: Any, payload: dict[str, Any]) -> None:
    key = str(uuid.uuid4())
    create(client, bearer(worker), payload, key)
    colleague = UserFactory(organisation=worker.organisation, roles=[Role.CASE_WORKER], username="colleague")
    second = create(client, bearer(colleague), payload, key)
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert Case.objects.count() == 2


def test_a_failed_call_keeps_no_key_so_it_can_be_sent_again(
    worker: Any, payload: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client(raise_request_exception=False)
    auth, key = bearer(worker), str(uuid.uuid4())
    original = case_services.create_case

    def write_then_fail(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(case_services, "create_case", write_then_fail)
    failed = create(client, auth, payload, key)
    assert failed.status_code == 503 and failed["Retry-After"]
    assert not Case.objects.exists() and not ApiIdempotencyKey.objects.exists()
    monkeypatch.setattr(case_services, "create_case", original)
    assert create(client, auth, payload, key).status_code == 201
    assert create(client, auth, payload, key)["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_a_malformed_key_is_refused_before_anything_is_done(
    client: Client, worker: Any, payload: dict[str, Any]
) -> None:
    response = create(client, bearer(worker), payload, "has spaces in it")
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["title"]
    assert not Case.objects.exists()


def test_an_expired_key_is_free_again_and_old_keys_are_forgotten(
    client: Client, worker: Any, payload: dict[str, Any]
) -> None:
    auth, key = bearer(worker), str(uuid.uuid4())
    create(client, auth, payload, key)
    ApiIdempotencyKey.objects.update(
        created_at=ApiIdempotencyKey.objects.get().created_at - timedelta(days=2)
    )
    assert "Idempotent-Replayed" not in create(client, auth, payload, key)
    assert Case.objects.count() == 2
    ApiIdempotencyKey.objects.update(
        created_at=ApiIdempotencyKey.objects.get().created_at - timedelta(days=2)
    )
    assert forget_processed_submissions() == 1 and not ApiIdempotencyKey.objects.exists()


def test_the_stored_answer_is_encrypted_at_rest(client: Client, worker: Any, payload: dict[str, Any]) -> None:
    from django.db import connection

    create(client, bearer(worker), payload, str(uuid.uuid4()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM web_apiidempotencykey")
        (raw,) = cursor.fetchone()
    assert "Okafor" not in raw and "Okafor" in ApiIdempotencyKey.objects.get().body


def test_the_schema_documents_the_header_on_writes_only(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    create_op, list_op = paths["/api/v1/cases/"]["post"], paths["/api/v1/cases/"]["get"]
    names = [p["name"] for p in create_op["parameters"]]
    assert api_idempotency.HEADER in names and "422" in create_op["responses"]
    assert api_idempotency.HEADER not in [p["name"] for p in list_op.get("parameters", [])]
