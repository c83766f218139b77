"""The case pages: list, opening a case, the record, and the emergency protocol."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.cases import services
from lantern.cases.models import Case

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_organisations_cases_and_audits_the_names(
    login_client: Any, worker: Any, open_case: Any, personas: Any
) -> None:
    mine = open_case(family_name="Okafor")
    CaseFactory(organisation=personas.other_org, family_name="Hidden")
    body = login_client(worker).get(reverse("cases:list")).content.decode()
    assert mine.reference in body and "Okafor" in body and "Hidden" not in body
    read = AuditRecord.objects.get(action="view", object_type="cases.case", object_id="list")
    assert read.detail["ids"] == [mine.pk] and "family_name" in read.fields


def test_the_list_query_count_does_not_grow_with_cases(
    login_client: Any, worker: Any, personas: Any, django_assert_max_num_queries: Any
) -> None:
    client = login_client(worker)
    CaseFactory.create_batch(3, organisation=personas.own_org, created_by=worker)
    with django_assert_max_num_queries(25) as few:
        assert client.get(reverse("cases:list")).status_code == 200
    CaseFactory.create_batch(30, organisation=personas.own_org, created_by=worker)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("cases:list")).status_code == 200


def test_a_long_list_is_counted_only_so_far_and_says_more(
    login_client: Any, worker: Any, personas: Any, monkeypatch: Any
) -> None:
    from lantern.web import pagination

    monkeypatch.setattr(pagination, "CAP", 25)
    monkeypatch.setattr(pagination, "AHEAD", 1)  # 25 a page: the first page counts 2 pages, 50 rows
    CaseFactory.create_batch(55, organisation=personas.own_org, created_by=worker)
    client = login_client(worker)
    body = client.get(reverse("cases:list")).content.decode()
    assert "More than 50 cases" in body and "Page 1 of more than 2" in body
    assert "use the filters to narrow it" in body and "page=2" in body
    last = client.get(reverse("cases:list"), {"page": 3}).content.decode()
    assert "55 cases" in last and "Page 3 of 3" in last and "page=4" not in last


def test_the_list_filters_overdue_decisions(
    login_client: Any, worker: Any, personas: Any, today: Any
) -> None:
    late = CaseFactory(
        organisation=personas.own_org, created_by=worker, target_due_on=today - dt.timedelta(days=1)
    )
    on_time = CaseFactory(organisation=personas.own_org, created_by=worker, target_due_on=today)
    body = login_client(worker).get(reverse("cases:list"), {"overdue": "on"}).content.decode()
    assert late.reference in body and on_time.reference not in body


def test_a_screener_opens_a_case_and_lands_on_its_task_list(
    login_client: Any, personas: Any, today: Any
) -> None:
    client = login_client(personas.own[Role.SCREENER])
    response = client.post(
        reverse("cases:create"),
        {"profile": "coe-generic", "identified_on": today.isoformat(), "given_names": "Amina"},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    page = client.get(response.url).content.decode()
    assert "About the person" in page and "Not started" in page


def test_bad_input_keeps_the_users_input_with_an_error_summary(
    login_client: Any, worker: Any, today: Any
) -> None:
    response = login_client(worker).post(
        reverse("cases:create"),
        {
            "profile": "uk-style",
            "identified_on": today.isoformat(),
            "given_names": "Keep Me",
            "date_of_birth": (today + dt.timedelta(days=3)).isoformat(),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and 'href="#id_date_of_birth"' in body and "<title>Error:" in body
    assert 'value="Keep Me"' in body
    assert not Case.objects.exists()


def test_immediate_danger_leads_to_the_emergency_protocol(login_client: Any, worker: Any, today: Any) -> None:
    client = login_client(worker)
    response = client.post(
        reverse("cases:create"),
        {"profile": "coe-generic", "identified_on": today.isoformat(), "immediate_danger": "on"},
    )
    case = Case.objects.get()
    assert response.url == reverse("cases:emergency", args=[case.pk])
    page = client.get(response.url).content.decode()
    assert "112" in page and "1109" in page  # the organisation is in Greece


def test_the_case_page_is_audited_with_the_fields_shown(
    login_client: Any, worker: Any, open_case: Any
) -> None:
    case = open_case(family_name="Okafor")
    body = login_client(worker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Okafor" in body and "Timeline" in body
    read = AuditRecord.objects.filter(action="view", object_type="cases.case", object_id=str(case.pk)).get()
    assert {"family_name", "contact"} <= set(read.fields)


def test_another_organisation_gets_404_and_the_attempt_is_audited(
    login_client: Any, personas: Any, open_case: Any
) -> None:
    case = open_case()
    for url in ("cases:detail", "cases:emergency", "cases:consents"):
        response = login_client(personas.other[Role.CASE_WORKER]).get(reverse(url, args=[case.pk]))
        assert response.status_code == 404
    assert (
        AuditRecord.objects.filter(action="denied", object_type="cases.case", object_id=str(case.pk)).count()
        == 3
    )


def test_a_service_provider_sees_only_the_referred_fields_on_the_page(
    login_client: Any, personas: Any, open_case: Any, worker: Any
) -> None:
    from lantern.cases.sharing import grant_case_access

    case = open_case(family_name="Okafor", contact="+30 210 000 0000")
    grant_case_access(actor=worker, case=case, organisation=personas.other_org, field_groups=["identity"])
    body = login_client(personas.other[Role.SERVICE_PROVIDER]).get(reverse("cases:detail", args=[case.pk]))
    text = body.content.decode()
    assert "Okafor" in text and "+30 210" not in text and "Timeline" not in text


def test_saving_a_section_marks_it_completed(login_client: Any, worker: Any, open_case: Any) -> None:
    case = open_case()
    client = login_client(worker)
    url = reverse("cases:section", args=[case.pk, "background"])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"citizenships": ["NG", "GH"], "languages": "en, yo", "interpreter_needed": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert {c.code for c in case.citizenships} == {"NG", "GH"} and case.languages == ["en", "yo"]
    assert "background" in case.sections_completed


def test_a_section_error_keeps_the_input(login_client: Any, worker: Any, open_case: Any, today: Any) -> None:
    case = open_case()
    response = login_client(worker).post(
        reverse("cases:section", args=[case.pk, "safety"]),
        {
            "risk_level": "high",
            "risk_notes": "Threats by phone",
            "risk_assessed_on": (today + dt.timedelta(days=1)),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and "Threats by phone" in body


def test_an_unknown_section_is_404(login_client: Any, worker: Any, open_case: Any) -> None:
    response = login_client(worker).get(reverse("cases:section", args=[open_case().pk, "secrets"]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.STATISTICS_VIEWER, Role.SYSTEM_ADMIN])
def test_roles_without_case_access_cannot_open_case_pages(
    login_client: Any, personas: Any, role: str
) -> None:
    client = login_client(personas.own[role])
    assert client.get(reverse("cases:list")).status_code == 403
    assert client.get(reverse("cases:create")).status_code == 403


def test_the_task_list_shows_a_section_with_names_entered_as_in_progress(
    login_client: Any, worker: Any, open_case: Any
) -> None:
    case = open_case(given_names="Amina", family_name="Okafor")
    page = login_client(worker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    status = re.search(r'id="task-person-status">([^<]+)<', page)
    assert status is not None and status.group(1) == "In progress"
    assert re.search(r'id="task-safety-status">Not started<', page)


def test_the_case_heading_names_the_reference_once(login_client: Any, worker: Any, open_case: Any) -> None:
    case = open_case()
    page = login_client(worker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    main = page.split("<main", 1)[1]
    assert main.count(case.reference) == 1


def test_an_optional_note_is_marked_optional_once(login_client: Any, worker: Any, open_case: Any) -> None:
    case = open_case()
    client = login_client(worker)
    stage_page = client.get(reverse("cases:stage", args=[case.pk])).content.decode()
    assert "Note (optional)" not in stage_page
    assert 'Note <span class="optional">(optional)</span>' in stage_page
    consent = services.record_consent(
        actor=worker, case=case, purpose="competent_authority", basis="person", language="en"
    )
    revoke = client.get(reverse("cases:revoke_consent", args=[case.pk, consent.pk])).content.decode()
    assert "Reason (optional)" not in revoke and "(optional)" in revoke
