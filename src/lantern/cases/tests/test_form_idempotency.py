"""The NRM step forms (consents, revoking, referral, stage, decision) carry an idempotency key: a
double-clicked submit (or a resend after "Not saved") is applied once, and the same key sent with other
content is shown again, not applied. (The new case and section forms: lantern/web/tests.)"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from lantern.cases import services
from lantern.cases.models import Decision
from lantern.web.idempotency import new_key

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="idempotency_key" value="[0-9a-f-]{36}"')
STALE = "already sent once"


def twice(client: Any, url: str, data: dict[str, Any]) -> None:
    """Post the same submission twice: both are answered with the same redirect."""
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url


def test_a_double_clicked_consent_is_recorded_once(login_client: Any, worker: Any, open_case: Any) -> None:
    case = open_case()
    client = login_client(worker)
    url = reverse("cases:consents", args=[case.pk])
    assert KEY.search(client.get(url).content.decode())
    data = {"purpose": "statistics", "basis": "person", "language": "ar", "idempotency_key": new_key()}
    twice(client, url, data)
    assert case.consents.count() == 1
    again = client.post(url, {**data, "notes": "Asked again"})
    body = again.content.decode()
    assert again.status_code == 200 and STALE in body and "Asked again" in body
    assert data["idempotency_key"] not in body and case.consents.count() == 1


def test_a_double_clicked_revocation_is_recorded_once(
    login_client: Any, worker: Any, open_case: Any, refer: Any
) -> None:
    case = refer(open_case())
    consent = case.consents.get()
    client = login_client(worker)
    url = reverse("cases:revoke_consent", args=[case.pk, consent.pk])
    assert KEY.search(client.get(url).content.decode())
    events = case.events.count()
    data = {"note": "Withdrawn", "idempotency_key": new_key()}
    twice(client, url, data)
    assert case.events.count() == events + 1
    again = client.post(url, {**data, "note": "Withdrawn by phone"})
    assert again.status_code == 200 and STALE in again.content.decode()
    assert case.events.count() == events + 1


def test_a_double_clicked_referral_refers_once(
    login_client: Any, worker: Any, open_case: Any, nrm: Any
) -> None:
    case = open_case()
    services.record_consent(
        actor=worker, case=case, purpose="competent_authority", basis="person", language="en"
    )
    client = login_client(worker)
    url = reverse("cases:refer", args=[case.pk])
    assert KEY.search(client.get(url).content.decode())
    events = case.events.count()
    data = {"authority": nrm.pk, "idempotency_key": new_key()}
    twice(client, url, data)
    assert case.events.count() == events + 1
    case.refresh_from_db()
    assert case.stage != "identified"


def test_a_double_clicked_stage_change_and_decision_are_recorded_once(
    login_client: Any, decider: Any, open_case: Any, refer: Any, today: dt.date
) -> None:
    case = refer(open_case())
    client = login_client(decider)
    url = reverse("cases:stage", args=[case.pk])
    assert KEY.search(client.get(url).content.decode())
    events = case.events.count()
    data = {"to_stage": "reasonable_grounds", "idempotency_key": new_key()}
    twice(client, url, data)
    assert case.events.count() == events + 1
    # Sent again with a note: the stage chosen is no longer offered, so the form refuses it first.
    again = client.post(url, {**data, "note": "Changed"})
    assert again.status_code == 200 and "There is a problem" in again.content.decode()
    assert case.events.count() == events + 1
    url = reverse("cases:decision", args=[case.pk])
    assert KEY.search(client.get(url).content.decode())
    data = {
        "outcome": "positive",
        "decided_on": today.isoformat(),
        "reasons": "Consistent account.",
        "idempotency_key": new_key(),
    }
    twice(client, url, data)
    assert Decision.objects.filter(case=case).count() == 1
    again = client.post(url, {**data, "reasons": "Another text"})
    assert again.status_code == 200 and STALE in again.content.decode()
    assert Decision.objects.filter(case=case).count() == 1
