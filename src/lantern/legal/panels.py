"""The legal track's dashboard panel: hearings and residence-permit expiries coming up (references and dates
only, two queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from lantern.authz.gate import can
from lantern.cases.dashboard import PANEL_ROWS, DashboardPanel, register_panel

from . import selectors

HEARINGS_WINDOW_DAYS = 30
PERMITS_WINDOW_DAYS = 60


def upcoming_legal_dates_panel(actor: Any, today: dt.date) -> dict[str, Any] | None:
    """Shown only when something is coming up (most case workers' dashboards stay as they are)."""
    if not can(actor, "legal.view"):
        return None
    hearings = selectors.upcoming_hearings(
        actor, today, today + dt.timedelta(days=HEARINGS_WINDOW_DAYS), PANEL_ROWS
    )
    permits = selectors.expiring_permits(
        actor, today, today + dt.timedelta(days=PERMITS_WINDOW_DAYS), PANEL_ROWS
    )
    if not hearings and not permits:
        return None
    return {"hearings": hearings, "permits": permits, "today": today}


register_panel(
    DashboardPanel(
        "legal.upcoming",
        _("Hearings and residence permits"),
        "legal/panels/upcoming.html",
        upcoming_legal_dates_panel,
        order=50,
        hint=_("Hearings in the next 30 days, and residence permits that expire in the next 60 days."),
    )
)
