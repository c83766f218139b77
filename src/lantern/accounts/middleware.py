"""Sign users out after a period without activity (shorter for roles that see personal data)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SESSION_KEY = "lantern_last_activity"
# Record activity at most this often: writing the session on every request would turn each page view into a
# database write (and contention on one row for a busy user).
ACTIVITY_RESOLUTION_SECONDS = 30


def inactivity_limit_seconds(user: Any) -> int:
    minutes = (
        settings.LANTERN_INACTIVITY_MINUTES_PERSONAL
        if user.sees_personal_data
        else settings.LANTERN_INACTIVITY_MINUTES_OTHER
    )
    return minutes * 60


class InactivityTimeoutMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_KEY)
            if last is not None and now - last > inactivity_limit_seconds(user):
                logout(request)
                messages.info(
                    request, _("You were signed out after a period without activity. Sign in again.")
                )
            elif last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[SESSION_KEY] = now
        return self.get_response(request)
