"""Shell pages: home, help, health check and error pages."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language as django_set_language

from lantern.authz.gate import can
from lantern.authz.views import public, signed_in

from . import readiness
from .context_processors import sessionless
from .nav import NAV_ITEMS


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    tasks = [
        (reverse(url_name), label)
        for url_name, label, action in NAV_ITEMS[1:]
        if action is None or can(request.user, action)
    ]
    return render(request, "web/home.html", {"tasks": tasks})


@public
@sessionless
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page: send them to the static icon (no session, no cookie)."""
    response = HttpResponsePermanentRedirect(static("lantern/favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


@public
@sessionless
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/help.html")


set_language = public(django_set_language)


def _pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _upgrade_in_progress(body: dict[str, Any]) -> JsonResponse:
    """During `deploy/upgrade.sh` (its flag file exists) the checks are expected to fail for a moment:
    200 "upgrade in progress", with what they found, instead of an alarm."""
    return JsonResponse({**body, "status": "upgrade in progress"}, status=200)


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable and no unapplied migrations: 200; otherwise 503 with what is wrong."""
    body: dict[str, Any] = {"status": "ok"}
    try:
        body["database"] = readiness.database() or "ok"  # the one database probe, /readyz's too
        pending = _pending_migrations()
        body["migrations"] = "ok" if not pending else {"unapplied": pending}
    except DatabaseError as exc:
        body["database"] = f"unreachable: {exc.__class__.__name__}"
    except (ImportError, OSError, SyntaxError) as exc:
        # The migration files are read from disk: while a release is being installed they may be half there.
        body["migrations"] = f"cannot be read: {exc.__class__.__name__}"
    if any(value != "ok" for name, value in body.items() if name != "status"):
        body["status"] = "unhealthy"
        if readiness.upgrade_in_progress():
            return _upgrade_in_progress(body)
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


@public
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when this instance may take traffic, else 503 naming each failing check (see readiness.py)."""
    checks = readiness.run_checks()
    ready = all(result == "ok" for result in checks.values())
    if not ready and readiness.upgrade_in_progress():
        return _upgrade_in_progress({"checks": checks})
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503
    )


@public
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/csrf_failure.html", status=403)


def _is_api(request: HttpRequest) -> bool:
    """API clients get JSON errors (the schema's Problem), also for addresses no API view matched."""
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "web/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("You do not have permission to perform this action.")}, status=403)
    return render(request, "web/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. Please try again later.")}, status=500
        )
    return render(request, "web/500.html", status=500)
