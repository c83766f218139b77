"""The gate for the JSON API: DRF permission class, view mixin and exception handler."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, permissions

from . import gate
from .views import ViewPolicy


def api_policy() -> ViewPolicy:
    return ViewPolicy(api=True)


class GatePermission(permissions.BasePermission):
    """Signed in (token or verified session) and allowed the view's action for this HTTP verb or DRF action.

    Views declare ``gate_actions``: a mapping from DRF action name (or HTTP method) to a gate action.
    Anything not declared is refused.
    """

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            raise exceptions.NotAuthenticated()
        from rest_framework.authentication import SessionAuthentication

        if isinstance(request.successful_authenticator, SessionAuthentication):
            if user.needs_two_factor and not user.is_verified():
                raise exceptions.PermissionDenied("Two-factor sign-in is required.")
        action = self.action_for(request, view)
        allowed = action is not None and gate.can(user, action)
        if allowed:
            gate.note_passed("require", action, None)
        return allowed

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        action = self.action_for(request, view)
        allowed = action is not None and gate.can(request.user, action, obj)
        if allowed:
            # Reached through the view's gated queryset: a replay looks the object up the same way.
            gate.note_passed("access" if isinstance(view, GatedObjectMixin) else "require", action, obj)
        return allowed

    @staticmethod
    def action_for(request: Any, view: Any) -> str | None:
        actions = getattr(view, "gate_actions", {})
        return actions.get(getattr(view, "action", None) or "") or actions.get(request.method)


class GatedObjectMixin:
    """For DRF generic views: the queryset is what the gate shows; other organisations' objects are 404s,
    and the attempt is audited."""

    gate_policy = api_policy()
    gate_model: Any = None
    gate_actions: dict[str, str] = {}

    def gate_action(self) -> str:
        return GatePermission.action_for(self.request, self) or "__none__"  # type: ignore[attr-defined]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return gate.visible(self.request.user, self.gate_action(), self.gate_model)  # type: ignore[attr-defined]

    def get_object(self):  # type: ignore[no-untyped-def]
        try:
            return super().get_object()  # type: ignore[misc]
        except Http404:
            lookup = self.kwargs.get(self.lookup_field)  # type: ignore[attr-defined]
            gate.note_denied(self.request.user, self.gate_action(), self.gate_model, lookup)  # type: ignore[attr-defined]
            raise


def exception_handler(exc: Exception, context: Any) -> Any:
    """DRF's handler, with the gate's NotVisible as 404, Denied as 403 and Django's ValidationError as 400."""
    from rest_framework.views import exception_handler as drf_exception_handler  # avoids an import cycle

    if isinstance(exc, gate.NotVisible):
        exc = exceptions.NotFound()
    elif isinstance(exc, gate.Denied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):  # a service refused the input: 400, never a server error
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    return drf_exception_handler(exc, context)
