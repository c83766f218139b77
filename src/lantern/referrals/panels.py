"""The dashboard panel of the receiving organisation: referrals waiting for its answer (references, services
and dates only; one query)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from lantern.accounts.roles import Role
from lantern.authz.gate import can
from lantern.cases.dashboard import PANEL_ROWS, DashboardPanel, register_panel

from . import selectors


def incoming_referrals_panel(actor: Any, today: dt.date) -> dict[str, Any] | None:
    """Always shown to service-provider staff (answering is their job); to case workers only when a referral
    waits (most case workers' dashboards stay as they are)."""
    if not can(actor, "referral.answer"):
        return None
    referrals = list(selectors.waiting_for_answer(actor)[:PANEL_ROWS])
    if not referrals and not actor.has_role(Role.SERVICE_PROVIDER):
        return None
    return {"referrals": referrals, "today": today}


register_panel(
    DashboardPanel(
        "referrals.incoming",
        _("Referrals to your services waiting for your answer"),
        "referrals/panels/incoming.html",
        incoming_referrals_panel,
        order=45,
        hint=_("Accept a referral to take the person on, or decline it with a reason."),
    )
)
