"""When the database is down or restarting: a clear 503 instead of a 500, and nothing the user typed is lost.

Every request runs in one transaction (``ATOMIC_REQUESTS``), so a request that meets a database failure has
written nothing: the transaction is rolled back (or, with the connection gone, never committed). What is left
is to tell the user so, and to keep their input:

- a form post gets the page "Not saved": the submitted values are listed and put back into a form that sends
  them again to the same address with the same idempotency key, so a retry is applied once even when the
  first send did reach the database just before it went away. Passwords, one-time codes and tokens are never
  echoed; the CSRF token is a fresh one for the same session secret, or, when the session could not be read
  (the database is down), a signed resend token (`lantern.web.resend`).
- an API call (``/api/``) gets the API's JSON "Problem" (with ``detail``) and ``Retry-After``.
- a GET gets a plain "temporarily unavailable" page.

How it is caught: Django turns an exception into a 500 response at every middleware boundary, so no outer
middleware ever sees the exception itself. The ``got_request_exception`` signal does: it marks the request,
and `DatabaseUnavailableMiddleware` (placed outside the session middleware, whose own save may be what failed)
replaces whatever 500 came back with the 503. The page is rendered without touching the database: no user
menu, no navigation, no messages.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from . import idempotency, resend

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
_MARK = "_lantern_database_unavailable"
# Never echoed back: anything that authenticates (passwords, one-time codes, tokens, the CSRF token).
SECRET_NAME_PARTS = ("password", "passwd", "secret", "token", "otp", "csrf", "resend")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True for the errors of a stopped, restarting or unreachable database server (at connect or later)."""
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        if isinstance(exc, DatabaseError):
            return False  # a constraint or a bad query: a programming error, not an outage
        exc = exc.__cause__ or exc.__context__
    return False


@receiver(got_request_exception)
def note_database_failure(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Mark the request when the exception being handled is a database outage (read from ``sys.exc_info``)."""
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        setattr(request, _MARK, True)


def is_secret_field(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in SECRET_NAME_PARTS) and name != idempotency.FIELD


def kept_fields(request: HttpRequest) -> tuple[list[tuple[str, str]], bool]:
    """The submitted (name, value) pairs that may be shown again, and whether any were left out."""
    try:
        data = request.POST
    except Exception:  # an unreadable body (too large, broken multipart): nothing to give back
        return [], True
    kept: list[tuple[str, str]] = []
    left_out = bool(getattr(request, "FILES", None))
    for name in data:
        if is_secret_field(name):
            left_out = left_out or name not in ("csrfmiddlewaretoken", resend.FIELD)
            continue
        kept.extend((name, value) for value in data.getlist(name))
    return kept, left_out


def field_label(name: str) -> str:
    """A readable label for a submitted field name (``first_signs-0-answer`` → "First signs 0 answer")."""
    words = name.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else name


def _fresh_csrf_token(request: HttpRequest) -> str | None:
    """A new mask of the session's CSRF secret, when the request got far enough to know it."""
    if "CSRF_COOKIE" not in request.META:
        return None  # the failure came before the session was read: a token now would not match it
    return get_token(request)


def _safe_user(request: HttpRequest) -> None:
    """Make ``request.user`` usable by outer middleware without the database (it may never have loaded)."""
    try:
        user = request.user
        user.is_authenticated  # noqa: B018 - forces the lazy load, which needs the database
    except (AttributeError, DatabaseError):
        request.user = AnonymousUser()


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> str:
    base = {
        "LANGUAGE_BIDI": translation.get_language_bidi(),
        "available_languages": settings.LANGUAGES,
        "nav_items": [],
        "user": None,
        "request": request,
        "csrf_token": _fresh_csrf_token(request),
    }
    return render_to_string(template, {**base, **context})


def not_saved_response(request: HttpRequest) -> HttpResponse:
    """HTTP 503 for a request that met a database outage: JSON problem for the API, a page otherwise."""
    if request.path.startswith("/api/"):
        body = {
            "type": "about:blank",
            "title": _("Service temporarily unavailable"),
            "status": 503,
            "detail": _(
                "Nothing was saved. Send the same request again in a few seconds; "
                "with the same Idempotency-Key it is applied once."
            ),
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False), status=503, content_type="application/json"
        )
    elif request.method in SAFE_METHODS:
        response = HttpResponse(_page(request, "web/unavailable.html", {}), status=503)
    else:
        fields, left_out = kept_fields(request)
        context = {
            "resend_token": resend.resend_token(request),
            "fields": [(name, field_label(name), value) for name, value in fields],
            "left_out": left_out,
            "action": request.get_full_path(),
            "has_key": any(name == idempotency.FIELD for name, _value in fields),
        }
        response = HttpResponse(_page(request, "web/not_saved.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store, private"  # the page may hold personal data the user typed
    return response


class DatabaseUnavailableMiddleware:
    """Turns a request that failed because the database was unavailable into `not_saved_response`.

    Sits just inside the security/CSP middleware (so the 503 gets their headers) and outside the session
    middleware (so a failed session save is caught too).
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except Exception as exc:  # the 500 handler itself failed on the way out
            if not is_database_unavailable(exc):
                raise
            setattr(request, _MARK, True)
            response = None
        if response is not None and (response.status_code < 500 or not getattr(request, _MARK, False)):
            return response
        logger.warning("database unavailable: %s %s answered 503", request.method, request.path)
        _safe_user(request)
        with translation.override(getattr(request, "LANGUAGE_CODE", None) or translation.get_language()):
            return not_saved_response(request)
