"""The legal track's forms carry an idempotency key: a double-clicked submit (or a resend after "Not saved")
is applied once, and the same key sent with other content is shown again, not applied."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from lantern.cases.models import CaseAccess, CaseEvent
from lantern.legal import services
from lantern.legal.models import CriminalProceeding, Hearing, ResidencePermit
from lantern.web.idempotency import new_key

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="idempotency_key" value="[0-9a-f-]{36}"')
STALE = "already sent once"


def legal_events(case: Any) -> Any:
    return CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.LEGAL_UPDATED)


def test_a_double_clicked_new_permit_is_added_once_and_a_changed_resend_is_shown_again(
    open_case: Any, worker: Any, login_client: Any, today: dt.date
) -> None:
    case = open_case()
    client = login_client(worker)
    url = reverse("legal:add", args=[case.pk, "permits"])
    assert KEY.search(client.get(url).content.decode())
    data = {
        "type": "temporary",
        "applied_on": today.isoformat(),
        "outcome": "pending",
        "idempotency_key": new_key(),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert ResidencePermit.objects.filter(case=case).count() == 1
    again = client.post(url, {**data, "permit_number": "P-77"})
    body = again.content.decode()
    assert again.status_code == 200 and STALE in body and 'value="P-77"' in body
    assert data["idempotency_key"] not in body and KEY.search(body)
    assert ResidencePermit.objects.filter(case=case).count() == 1


def test_a_double_clicked_edit_is_recorded_once(
    open_case: Any, worker: Any, login_client: Any, today: dt.date
) -> None:
    case = open_case()
    proceeding = services.save_legal_record(
        actor=worker, case=case, record=CriminalProceeding(role="witness", court="Piraeus Court")
    )
    client = login_client(worker)
    url = reverse("legal:edit", args=[case.pk, "proceedings", proceeding.pk])
    assert KEY.search(client.get(url).content.decode())
    data = {
        "role": "witness",
        "status": "investigation",
        "court": "Athens Court",
        "idempotency_key": new_key(),
    }
    count = legal_events(case).count()
    assert client.post(url, data).status_code == client.post(url, data).status_code == 302
    assert legal_events(case).count() == count + 1
    again = client.post(url, {**data, "court": "Thessaloniki Court"})
    assert again.status_code == 200 and STALE in again.content.decode()
    proceeding.refresh_from_db()
    assert proceeding.court == "Athens Court" and legal_events(case).count() == count + 1


def test_a_double_clicked_hearing_is_added_once(
    open_case: Any, worker: Any, login_client: Any, today: dt.date
) -> None:
    case = open_case()
    proceeding = services.save_legal_record(
        actor=worker, case=case, record=CriminalProceeding(role="witness", court="Piraeus Court")
    )
    client = login_client(worker)
    url = reverse("legal:add_hearing", args=[case.pk, proceeding.pk])
    data = {"on": today.isoformat(), "purpose": "Testimony", "idempotency_key": new_key()}
    assert client.post(url, data).status_code == client.post(url, data).status_code == 302
    assert Hearing.objects.filter(proceeding=proceeding).count() == 1
    again = client.post(url, {**data, "purpose": "Cross-examination"})
    assert again.status_code == 200 and STALE in again.content.decode()
    assert Hearing.objects.filter(proceeding=proceeding).count() == 1


def test_a_double_clicked_non_punishment_form_is_recorded_once(
    open_case: Any, worker: Any, login_client: Any, today: dt.date
) -> None:
    case = open_case()
    client = login_client(worker)
    url = reverse("legal:non_punishment", args=[case.pk])
    assert KEY.search(client.get(url).content.decode())
    data = {
        "non_punishment_applies": "on",
        "non_punishment_categories": ["documents"],
        "non_punishment_offences": "Used a false passport",
        "non_punishment_status": "raised",
        "non_punishment_raised_on": today.isoformat(),
        "idempotency_key": new_key(),
    }
    count = legal_events(case).count()
    assert client.post(url, data).status_code == client.post(url, data).status_code == 302
    assert legal_events(case).count() == count + 1
    again = client.post(url, {**data, "non_punishment_offences": "Worked without a permit"})
    assert again.status_code == 200 and STALE in again.content.decode()
    case.legal_track.refresh_from_db()
    assert case.legal_track.non_punishment_offences == "Used a false passport"
    assert legal_events(case).count() == count + 1


def lawyer_events(case: Any) -> Any:
    return CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.LAWYER_ASSIGNED)


def test_a_double_clicked_assignment_grants_one_access_and_a_double_clicked_end_ends_it_once(
    open_case: Any, worker: Any, lawyer: Any, consent_to: Any, personas: Any, login_client: Any
) -> None:
    case = open_case()
    consent_to(case, personas.other_org)
    client = login_client(worker)
    url = reverse("legal:assign_lawyer", args=[case.pk])
    assert KEY.search(client.get(url).content.decode())
    data = {"lawyer": str(lawyer.pk), "action": "assign", "idempotency_key": new_key()}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert CaseAccess.objects.filter(case=case, user=lawyer).count() == 1 and lawyer_events(case).count() == 1
    again = client.post(url, {**data, "extra_groups": ["identity"]})
    assert again.status_code == 200 and STALE in again.content.decode()
    assert CaseAccess.objects.filter(case=case, user=lawyer).count() == 1
    page = client.get(url).content.decode()
    end_key = re.findall(r'name="idempotency_key" value="([0-9a-f-]{36})"', page)[-1]
    end = {"action": "end", "idempotency_key": end_key}
    first, second = client.post(url, end), client.post(url, end)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert lawyer_events(case).count() == 2
    case.legal_track.refresh_from_db()
    assert case.legal_track.lawyer is None


def test_ending_when_no_lawyer_is_assigned_says_so_and_changes_nothing(
    open_case: Any, worker: Any, login_client: Any
) -> None:
    case = open_case()
    client = login_client(worker)
    url = reverse("legal:assign_lawyer", args=[case.pk])
    count = lawyer_events(case).count()
    response = client.post(url, {"action": "end", "idempotency_key": new_key()}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "No lawyer is assigned to this case." in body
    assert lawyer_events(case).count() == count and KEY.search(body)
