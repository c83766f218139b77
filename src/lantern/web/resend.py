""" "Send again" on the "Not saved" page when the database (and so the session's CSRF secret) is down.

The CSRF secret lives in the database session (`CSRF_USE_SESSIONS`); with the database stopped, no CSRF
token can be made, and the page used to offer no way to send the input again. Instead it carries a signed,
short-lived resend token bound to the address and to the browser's session cookie: only the server can make
one (it is signed with SECRET_KEY), and another site cannot read it from the page, so it protects the resend
as a CSRF token would. `ResendTokenMiddleware` lets a post that carries a valid one pass the CSRF check.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

FIELD = "lantern_resend"
SALT = "lantern.web.resend"
MAX_AGE_SECONDS = 15 * 60


def _session_fingerprint(request: HttpRequest) -> str | None:
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    return hashlib.sha256(cookie.encode()).hexdigest() if cookie else None


def resend_token(request: HttpRequest) -> str | None:
    """A token that lets this browser send its input to this address again; None without a session."""
    fingerprint = _session_fingerprint(request)
    if fingerprint is None:
        return None
    return signing.dumps({"path": request.path, "session": fingerprint}, salt=SALT, compress=True)


def is_valid_resend(request: HttpRequest) -> bool:
    try:
        token = request.POST.get(FIELD, "")
    except Exception:  # an unreadable body is the CSRF check's to refuse
        return False
    if not token:
        return False
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    fingerprint = _session_fingerprint(request)
    return fingerprint is not None and data == {"path": request.path, "session": fingerprint}


class ResendTokenMiddleware:
    """Placed just before Django's CsrfViewMiddleware: a post with a valid resend token from the "Not saved"
    page has passed the CSRF check (Django's middleware skips a request marked `csrf_processing_done`)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        if request.method == "POST" and is_valid_resend(request):
            request.csrf_processing_done = True  # type: ignore[attr-defined]
