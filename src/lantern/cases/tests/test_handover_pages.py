"""The owner and handover pages: the screener proposes from the case page, the NGO case worker answers from
the dashboard's inbox; errors show next to the field with the input kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import UserFactory
from lantern.cases import services
from lantern.cases.models import Basis, Case, Handover, HandoverStatus, Purpose

pytestmark = pytest.mark.django_db


def test_screener_proposes_and_the_ngo_case_worker_accepts_on_the_pages(
    login_client: Any, personas: Any, open_case: Any, ngo: Any, ngo_worker: Any
) -> None:
    screener = personas.own[Role.SCREENER]
    case = open_case(actor=screener)
    client = login_client(screener)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:handover", args=[case.pk]) in detail
    url = reverse("cases:handover", args=[case.pk])
    # Without the person's consent: an error next to the field, the message kept, nothing saved.
    response = client.post(url, {"to_organisation": ngo.pk, "message": "Speaks Tigrinya"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and "Speaks Tigrinya" in body
    assert not Handover.objects.exists()
    services.record_consent(
        actor=screener,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.PERSON,
        organisation=ngo,
        language="ti",
    )
    assert client.post(url, {"to_organisation": ngo.pk, "message": "Speaks Tigrinya"}).status_code == 302
    handover = Handover.objects.get()

    ngo_client = login_client(ngo_worker)
    dashboard = ngo_client.get(reverse("cases:dashboard")).content.decode()
    answer_url = reverse("cases:handover_answer", args=[handover.pk])
    assert answer_url in dashboard and case.reference in dashboard
    page = ngo_client.get(answer_url).content.decode()
    assert "Speaks Tigrinya" in page
    assert ngo_client.post(answer_url, {"answer": "accept"}).status_code == 302
    assert Case.objects.get(pk=case.pk).organisation == ngo
    assert Handover.objects.get().status == HandoverStatus.ACCEPTED
    assert ngo_client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_declining_without_a_reason_shows_the_error(
    login_client: Any, personas: Any, open_case: Any, ngo: Any, ngo_worker: Any
) -> None:
    from lantern.cases import handovers

    screener = personas.own[Role.SCREENER]
    case = open_case(actor=screener)
    services.record_consent(
        actor=screener,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.PERSON,
        organisation=ngo,
        language="ti",
    )
    handover = handovers.propose_handover(actor=screener, case=case, to_organisation=ngo)
    client = login_client(ngo_worker)
    response = client.post(reverse("cases:handover_answer", args=[handover.pk]), {"answer": "decline"})
    assert response.status_code == 200 and "Say why the handover is declined." in response.content.decode()
    assert Handover.objects.get().status == HandoverStatus.PROPOSED
    # Another organisation's case worker gets a 404.
    other = login_client(personas.other[Role.CASE_WORKER])
    assert other.get(reverse("cases:handover_answer", args=[handover.pk])).status_code == 404


def test_the_owner_page_and_the_list_filter(login_client: Any, personas: Any, open_case: Any) -> None:
    worker = personas.own[Role.CASE_WORKER]
    colleague = UserFactory(organisation=personas.own_org, roles=[Role.CASE_WORKER], first_name="Nadia")
    case = open_case()
    admin_client = login_client(personas.own[Role.ORG_ADMIN])
    url = reverse("cases:assign", args=[case.pk])
    assert "Nadia" in admin_client.get(url).content.decode()
    bad = admin_client.post(url, {"owner": str(personas.other[Role.CASE_WORKER].pk)})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    assert admin_client.post(url, {"owner": ""}).status_code == 302
    case.refresh_from_db()
    assert case.case_worker is None
    client = login_client(worker)
    queue = client.get(reverse("cases:list") + "?owner=unassigned").content.decode()
    assert case.reference in queue
    assert case.reference not in client.get(reverse("cases:list") + "?owner=mine").content.decode()
    assert client.post(url, {"owner": str(colleague.pk)}).status_code == 302
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Nadia" in detail
