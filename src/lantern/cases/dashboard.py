"""The dashboard: panels for each role, and the extension point other apps add their panels to.

Another app registers a panel in its `AppConfig.ready()` (or a module imported there)::

    from lantern.cases.dashboard import DashboardPanel, register_panel

    register_panel(DashboardPanel(
        id="referrals.incoming",
        title=_("Referrals waiting for my answer"),
        template="referrals/panels/incoming.html",
        build=incoming_referrals_panel,   # (actor, today) -> dict for the template, or None to hide the panel
        order=40,
    ))

A panel's `build` must scope its data through the gate, run a fixed number of queries, and return None for
actors it does not concern. Panels show references and dates, not names (no personal-data read to audit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.accounts.roles import Role
from lantern.authz.gate import can
from lantern.authz.views import signed_in

from . import selectors

PANEL_ROWS = 10
DUE_WINDOW_DAYS = 7


@dataclass(frozen=True)
class DashboardPanel:
    id: str
    title: Any
    template: str
    build: Callable[[Any, dt.date], dict[str, Any] | None]
    order: int = 100
    hint: Any = ""


_panels: dict[str, DashboardPanel] = {}


def register_panel(panel: DashboardPanel) -> DashboardPanel:
    """Add (or replace, by id) a dashboard panel."""
    _panels[panel.id] = panel
    return panel


def registered_panels() -> list[DashboardPanel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.id))


def panels_for(actor: Any, today: dt.date) -> list[tuple[DashboardPanel, dict[str, Any]]]:
    shown = []
    for panel in registered_panels():
        context = panel.build(actor, today)
        if context is not None:
            shown.append((panel, context))
    return shown


def _rows(queryset: Any) -> list[Any]:
    return list(
        queryset.only(
            "pk",
            "reference",
            "profile",
            "stage",
            "stage_entered_on",
            "target_due_on",
            "period_ends_on",
            "treated_as_child",
            "immediate_danger",
            "organisation_id",
            "created_by_id",
            "referred_to_id",
            "case_worker_id",
        )[:PANEL_ROWS]
    )


def my_cases_panel(actor: Any, today: dt.date) -> dict[str, Any] | None:
    if not can(actor, "case.view"):
        return None
    return {"cases": _rows(selectors.my_cases(actor)), "today": today}


def due_this_week_panel(actor: Any, today: dt.date) -> dict[str, Any] | None:
    if not can(actor, "case.view"):
        return None
    end = today + dt.timedelta(days=DUE_WINDOW_DAYS)
    return {"cases": _rows(selectors.due_between(actor, today, end)), "today": today}


def overdue_panel(actor: Any, today: dt.date) -> dict[str, Any] | None:
    if not can(actor, "case.view"):
        return None
    return {"cases": _rows(selectors.overdue(actor, today)), "today": today}


def waiting_for_answer_panel(actor: Any, today: dt.date) -> dict[str, Any] | None:
    if not actor.has_role(Role.NRM_DECISION_MAKER):
        return None
    return {"cases": _rows(selectors.waiting_for_authority(actor)), "today": today}


ROWS_TEMPLATE = "cases/panels/case_rows.html"
register_panel(DashboardPanel("cases.mine", _("My cases"), ROWS_TEMPLATE, my_cases_panel, order=10))
register_panel(
    DashboardPanel(
        "cases.due",
        _("Due this week"),
        ROWS_TEMPLATE,
        due_this_week_panel,
        order=20,
        hint=_("Decision targets and ends of recovery and reflection periods in the next seven days."),
    )
)
register_panel(DashboardPanel("cases.overdue", _("Overdue"), ROWS_TEMPLATE, overdue_panel, order=30))
register_panel(
    DashboardPanel(
        "cases.waiting",
        _("Referrals waiting for my answer"),
        ROWS_TEMPLATE,
        waiting_for_answer_panel,
        order=40,
        hint=_("Cases referred to your competent authority: take them up or record the decision."),
    )
)


def handovers_panel(actor: Any, today: dt.date) -> dict[str, Any] | None:
    """Handovers waiting for the actor's organisation to answer (its case workers and decision-makers)."""
    if not can(actor, "handover.answer"):
        return None
    return {"handovers": list(selectors.handover_inbox(actor)[:PANEL_ROWS]), "today": today}


register_panel(
    DashboardPanel(
        "cases.handovers",
        _("Handovers waiting for my answer"),
        "cases/panels/handovers.html",
        handovers_panel,
        order=15,
        hint=_("Cases other organisations propose to hand over to yours: accept or decline them."),
    )
)


def team_queue_panel(actor: Any, today: dt.date) -> dict[str, Any] | None:
    """Open cases nobody owns yet, for the organisation's administrators and case workers to assign."""
    if not can(actor, "case.assign"):
        return None
    return {"cases": list(selectors.team_queue(actor).only("pk", "reference")[:PANEL_ROWS]), "today": today}


register_panel(
    DashboardPanel(
        "cases.queue",
        _("The team's queue: cases without an owner"),
        "cases/panels/queue.html",
        team_queue_panel,
        order=12,
        hint=_("Open cases of your organisation that nobody owns yet: give each an owner."),
    )
)


@signed_in
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request, "cases/dashboard.html", {"panels": panels_for(request.user, today), "today": today}
    )
