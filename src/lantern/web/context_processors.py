"""Values every page of the shell needs."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from lantern.authz.gate import can

from .nav import NAV_ITEMS


def sessionless(view: Any) -> Any:
    """Mark a public page that a visitor reads without a session: it shows no form, so no CSRF token (which
    lives in the session) and no language switcher (the browser's language applies). Error pages for an
    unknown address are sessionless too. A session row per anonymous request would let anyone fill the
    session table."""
    view.sessionless = True
    return view


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    timeout = None
    if signed_in:
        minutes = (
            settings.LANTERN_INACTIVITY_MINUTES_PERSONAL
            if user.sees_personal_data
            else settings.LANTERN_INACTIVITY_MINUTES_OTHER
        )
        timeout = minutes * 60
    nav = []
    if signed_in and (not user.needs_two_factor or user.is_verified()):
        for url_name, label, action in NAV_ITEMS:
            if action is None or can(user, action):
                nav.append(
                    (
                        reverse(url_name),
                        label,
                        request.resolver_match and request.resolver_match.view_name == url_name,
                    )
                )
    view = getattr(getattr(request, "resolver_match", None), "func", None)
    return {
        "sessionless": not signed_in and (view is None or getattr(view, "sessionless", False)),
        "LANGUAGE_BIDI": translation.get_language_bidi(),
        "session_timeout_seconds": timeout,
        "nav_items": nav,
        "available_languages": settings.LANGUAGES,
    }
