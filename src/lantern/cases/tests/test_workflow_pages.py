"""The NRM step pages: consents, referral, stage change and the decision page (decision-maker only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.cases import services
from lantern.cases.models import Case, Decision, Purpose
from lantern.cases.sharing import consent_allows

pytestmark = pytest.mark.django_db


def test_the_case_worker_records_a_consent_in_the_persons_language(
    login_client: Any, worker: Any, open_case: Any, nrm: Any
) -> None:
    case = open_case()
    client = login_client(worker)
    url = reverse("cases:consents", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "purpose": "competent_authority",
            "basis": "person",
            "language": "ar",
            "interpreter_used": "on",
            "interpreter": "Interpreter 7",
        },
    )
    assert response.status_code == 302
    assert consent_allows(case, Purpose.COMPETENT_AUTHORITY, nrm)
    assert "Interpreter 7" in client.get(url).content.decode()


def test_a_consent_error_keeps_the_input(login_client: Any, worker: Any, open_case: Any) -> None:
    case = open_case()
    response = login_client(worker).post(
        reverse("cases:consents", args=[case.pk]),
        {"purpose": "referral", "basis": "person", "language": "ar", "notes": "Asked twice"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and "Asked twice" in body
    assert not case.consents.exists()


def test_revoking_a_consent_on_the_page_stops_sharing(
    login_client: Any, worker: Any, open_case: Any, refer: Any, nrm: Any
) -> None:
    case = refer(open_case())
    consent = case.consents.get()
    client = login_client(worker)
    url = reverse("cases:revoke_consent", args=[case.pk, consent.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "Withdrawn"}).status_code == 302
    assert not consent_allows(case, Purpose.COMPETENT_AUTHORITY, nrm)


def test_the_decision_maker_cannot_record_consents(
    login_client: Any, decider: Any, open_case: Any, refer: Any
) -> None:
    case = refer(open_case())
    client = login_client(decider)
    assert client.get(reverse("cases:consents", args=[case.pk])).status_code == 200
    response = client.post(
        reverse("cases:consents", args=[case.pk]), {"purpose": "statistics", "basis": "person"}
    )
    assert response.status_code == 403


def test_referral_without_consent_is_refused_on_the_page(
    login_client: Any, worker: Any, open_case: Any, nrm: Any
) -> None:
    case = open_case()
    response = login_client(worker).post(reverse("cases:refer", args=[case.pk]), {"authority": nrm.pk})
    assert response.status_code == 200 and "has not consented" in response.content.decode()
    assert Case.objects.get(pk=case.pk).stage == "identified"


def test_the_whole_path_through_the_pages(
    login_client: Any, worker: Any, decider: Any, open_case: Any, nrm: Any, today: dt.date
) -> None:
    case = open_case()
    services.record_consent(
        actor=worker, case=case, purpose="competent_authority", basis="person", language="en"
    )
    client = login_client(worker)
    assert client.post(reverse("cases:refer", args=[case.pk]), {"authority": nrm.pk}).status_code == 302
    client = login_client(decider)
    assert (
        client.post(reverse("cases:stage", args=[case.pk]), {"to_stage": "reasonable_grounds"}).status_code
        == 302
    )
    response = client.post(
        reverse("cases:decision", args=[case.pk]),
        {"outcome": "positive", "decided_on": today.isoformat(), "reasons": "Consistent account."},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).stage == "recovery_reflection"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Consistent account." in page and "Recovery and reflection period" in page


def test_an_illegal_stage_choice_is_refused(login_client: Any, worker: Any, open_case: Any) -> None:
    case = open_case()
    response = login_client(worker).post(reverse("cases:stage", args=[case.pk]), {"to_stage": "support"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert Case.objects.get(pk=case.pk).stage == "identified"


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.NRM_DECISION_MAKER])
def test_the_decision_page_is_for_the_decision_maker_only(
    login_client: Any, personas: Any, open_case: Any, refer: Any, role: str, today: dt.date
) -> None:
    case = refer(open_case())
    client = login_client(personas.own[role])
    url = reverse("cases:decision", args=[case.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"outcome": "positive", "decided_on": today.isoformat(), "reasons": "x"})
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_a_decision_error_keeps_the_reasons(
    login_client: Any, decider: Any, open_case: Any, refer: Any, today: dt.date
) -> None:
    case = refer(open_case())
    services.advance_stage(actor=decider, case=case, to_stage="reasonable_grounds")
    response = login_client(decider).post(
        reverse("cases:decision", args=[case.pk]),
        {
            "outcome": "positive",
            "decided_on": (today + dt.timedelta(days=5)).isoformat(),
            "reasons": "Kept text",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and "Kept text" in body


def _in_recovery_period(case: Any, decider: Any, refer: Any, today: dt.date, days_ago: int) -> Any:
    refer(case, days_ago=days_ago)
    services.advance_stage(
        actor=decider, case=case, to_stage="reasonable_grounds", on=today - dt.timedelta(days=days_ago)
    )
    services.record_decision(
        actor=decider,
        case=case,
        outcome="positive",
        decided_on=today - dt.timedelta(days=days_ago),
        reasons="Consistent account.",
    )
    assert case.stage == "recovery_period"
    return case


def test_the_stage_page_offers_the_conclusive_grounds_decision_only_once_the_recovery_period_ends(
    login_client: Any, decider: Any, open_case: Any, refer: Any, today: dt.date
) -> None:
    case = _in_recovery_period(open_case(profile="uk-style", days_ago=20), decider, refer, today, days_ago=10)
    response = login_client(decider).get(reverse("cases:stage", args=[case.pk]))
    body = response.content.decode()
    offered = [value for value, _label in response.context["choices"]]
    assert "conclusive_grounds" not in offered
    assert 'value="conclusive_grounds"' not in body
    opens = today + dt.timedelta(days=20)
    assert response.context["opens_later"] == [{"label": "Conclusive-grounds decision", "on": opens}]
    assert "Not possible yet" in body and "Conclusive-grounds decision: from" in body


def test_the_stage_page_offers_the_conclusive_grounds_decision_after_the_recovery_period(
    login_client: Any, decider: Any, open_case: Any, refer: Any, today: dt.date
) -> None:
    case = _in_recovery_period(open_case(profile="uk-style", days_ago=50), decider, refer, today, days_ago=40)
    response = login_client(decider).get(reverse("cases:stage", args=[case.pk]))
    assert "conclusive_grounds" in [value for value, _label in response.context["choices"]]
    assert response.context["opens_later"] == []


def test_the_decision_page_shows_the_conclusive_grounds_target_date(
    login_client: Any, decider: Any, open_case: Any, refer: Any, today: dt.date
) -> None:
    case = _in_recovery_period(open_case(profile="uk-style", days_ago=50), decider, refer, today, days_ago=40)
    services.advance_stage(actor=decider, case=case, to_stage="conclusive_grounds", on=today)
    response = login_client(decider).get(reverse("cases:decision", args=[case.pk]))
    assert response.context["opens_on"] == today - dt.timedelta(days=10)
    assert "Target date: the decision can be made from" in response.content.decode()
