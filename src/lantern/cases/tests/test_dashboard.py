"""The dashboard: panels per role, an extension point for other apps, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.cases import dashboard
from lantern.cases.dashboard import DashboardPanel, register_panel

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def panel_titles(response: Any) -> list[str]:
    return [str(panel.title) for panel, _context in response.context["panels"]]


def test_the_case_worker_sees_my_cases_due_and_overdue(
    login_client: Any, worker: Any, personas: Any, today: dt.date
) -> None:
    due = CaseFactory(
        organisation=personas.own_org, created_by=worker, target_due_on=today + dt.timedelta(days=3)
    )
    late = CaseFactory(
        organisation=personas.own_org, created_by=worker, target_due_on=today - dt.timedelta(days=3)
    )
    response = login_client(worker).get(reverse("cases:dashboard"))
    titles = ["My cases", "The team's queue: cases without an owner", "Handovers waiting for my answer"]
    titles += ["Due this week", "Overdue"]
    assert panel_titles(response) == titles
    panels = {p.id: ctx.get("cases") for p, ctx in response.context["panels"]}
    assert panels["cases.due"] == [due] and panels["cases.overdue"] == [late]


def test_the_decision_maker_sees_referrals_waiting_for_an_answer(
    login_client: Any, decider: Any, open_case: Any, refer: Any
) -> None:
    case = refer(open_case())
    response = login_client(decider).get(reverse("cases:dashboard"))
    assert "Referrals waiting for my answer" in panel_titles(response)
    waiting = next(ctx["cases"] for p, ctx in response.context["panels"] if p.id == "cases.waiting")
    assert waiting == [case]


@pytest.mark.parametrize("role", [Role.STATISTICS_VIEWER, Role.ORG_ADMIN])
def test_roles_without_cases_get_no_case_panels(login_client: Any, personas: Any, role: str) -> None:
    response = login_client(personas.own[role]).get(reverse("cases:dashboard"))
    # An organisation administrator sees only the team's queue: references to assign, no case content.
    expected = ["The team's queue: cases without an owner"] if role == Role.ORG_ADMIN else []
    assert response.status_code == 200 and panel_titles(response) == expected


def test_the_team_queue_lists_unowned_cases_of_the_organisation_only(
    login_client: Any, personas: Any, open_case: Any
) -> None:
    from lantern.cases import ownership

    worker = personas.own[Role.CASE_WORKER]
    owned, queued = open_case(), open_case()
    ownership.assign_case(actor=worker, case=queued, owner=None)
    CaseFactory(organisation=personas.other_org, case_worker=None)
    response = login_client(personas.own[Role.ORG_ADMIN]).get(reverse("cases:dashboard"))
    queue = next(ctx["cases"] for p, ctx in response.context["panels"] if p.id == "cases.queue")
    assert queue == [queued]
    body = response.content.decode()
    assert reverse("cases:assign", args=[queued.pk]) in body and owned.reference not in body
    assert "Okafor" not in body  # references only


def test_another_app_can_add_a_panel(login_client: Any, personas: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(dashboard, "_panels", dict(dashboard._panels))
    register_panel(
        DashboardPanel(
            "test.hello",
            "Hello panel",
            "cases/panels/case_rows.html",
            lambda actor, today: {"cases": [], "today": today},
            order=5,
        )
    )
    response = login_client(personas.own[Role.STATISTICS_VIEWER]).get(reverse("cases:dashboard"))
    assert panel_titles(response) == ["Hello panel"]


def test_the_dashboard_query_count_does_not_grow_with_cases(
    login_client: Any, worker: Any, personas: Any, today: dt.date, django_assert_max_num_queries: Any
) -> None:
    client = login_client(worker)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("cases:dashboard")).status_code == 200
    CaseFactory.create_batch(
        25,
        organisation=personas.own_org,
        created_by=worker,
        case_worker=worker,
        target_due_on=today - dt.timedelta(days=1),
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("cases:dashboard")).status_code == 200
