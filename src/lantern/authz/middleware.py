"""Enforces each view's declared policy before it runs, and writes queued refusals after it ran."""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lantern.audit import context

from . import gate
from .views import policy_of

logger = logging.getLogger(__name__)


def _write_denials(ctx: context.RequestContext, pending: list[gate.PendingDenial]) -> None:
    token = context.set_current(ctx)  # the request's id and address, for the records
    try:
        for denial in pending:
            gate.write_denial(denial)
    except Exception:
        # Django ignores errors of a response's closers: say it, loudly, rather than lose a record quietly.
        logger.exception("could not write the audit record of a refused access")
        raise
    finally:
        context.reset(token)


class GateMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pending: list[gate.PendingDenial] = []
        ctx = context.current()
        token = context.set_current(context.RequestContext(ctx.request_id, ctx.ip, ctx.user, pending))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        if pending:
            # After the response has gone out (the WSGI server closes it then), outside the request's
            # transaction: a refusal is recorded even though the request rolled back, and an object of
            # another organisation answers as fast as a missing one (writing the record took ~3 ms).
            response._resource_closers.append(functools.partial(_write_denials, ctx, pending))
        return response

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> Any:
        policy = policy_of(view_func)
        if policy is None:
            logger.error(
                "view %s declares no access policy: refused", getattr(view_func, "__qualname__", view_func)
            )
            return HttpResponseForbidden(_("This page has no access policy, so it is closed."))
        if policy.api or not policy.login:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if policy.verified and user.needs_two_factor and not user.is_verified():
            return redirect("accounts:two_factor")
        if policy.action and not gate.can(user, policy.action):
            return render(request, "web/403.html", status=403)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, gate.NotVisible):
            return render(request, "web/404.html", status=404)
        if isinstance(exception, gate.Denied):
            return render(request, "web/403.html", status=403)
        return None
