"""Finding 5: an idempotent API replay passed no gate and wrote no audit record. A replay passes the same
gate as the first send (else 403/404, no stored body) and is audited as a read; a reused key with another
request meets the gate before its 422."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken, RoleGrant
from lantern.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def patch(client: Client, case: Any, auth: dict[str, str], key: str, body: dict[str, Any]) -> Any:
    return client.patch(
        f"/api/v1/cases/{case.pk}/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **auth
    )


def test_a_replay_after_losing_every_role_is_refused_and_leaks_nothing(
    client: Client, worker: Any, open_case: Any
) -> None:
    case = open_case(date_of_birth="1999-04-01")
    auth, key = bearer(worker), str(uuid.uuid4())
    first = patch(client, case, auth, key, {"given_names": "Amina Grace"})
    assert first.status_code == 200 and "Okafor" in first.content.decode()
    RoleGrant.objects.filter(user=worker).delete()
    again = patch(client, case, auth, key, {"given_names": "Amina Grace"})
    assert again.status_code in (403, 404)
    assert "Okafor" not in again.content.decode() and "Idempotent-Replayed" not in again


def test_a_replay_by_someone_who_no_longer_sees_the_case_is_404(
    client: Client, worker: Any, open_case: Any
) -> None:
    case = open_case()
    auth, key = bearer(worker), str(uuid.uuid4())
    assert patch(client, case, auth, key, {"given_names": "Amina Grace"}).status_code == 200
    worker.organisation = type(worker.organisation).objects.create(name="Elsewhere", type="ngo", country="GR")
    worker.save()
    again = patch(client, case, auth, key, {"given_names": "Amina Grace"})
    assert again.status_code == 404 and "Okafor" not in again.content.decode()
    assert AuditRecord.objects.filter(action="denied", object_id=str(case.pk), actor=worker).exists()


def test_an_allowed_replay_is_audited_as_a_read(client: Client, worker: Any, open_case: Any) -> None:
    case = open_case()
    auth, key = bearer(worker), str(uuid.uuid4())
    patch(client, case, auth, key, {"given_names": "Amina Grace"})
    before = AuditRecord.objects.filter(
        action="view", object_type="cases.case", object_id=str(case.pk)
    ).count()
    again = patch(client, case, auth, key, {"given_names": "Amina Grace"})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    reads = AuditRecord.objects.filter(action="view", object_type="cases.case", object_id=str(case.pk))
    assert reads.count() == before + 1
    assert reads.order_by("-pk").first().detail["idempotent_replay"] is True


def test_a_reused_key_from_someone_without_the_permission_is_403_not_422(
    client: Client, worker: Any, open_case: Any
) -> None:
    case = open_case()
    auth, key = bearer(worker), str(uuid.uuid4())
    patch(client, case, auth, key, {"given_names": "Amina Grace"})
    RoleGrant.objects.filter(user=worker).delete()
    other = patch(client, case, auth, key, {"given_names": "Someone Else"})
    assert other.status_code == 403
