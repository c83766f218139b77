"""Declaring a page's policy. The gate middleware refuses any view that declares none (default deny)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ViewPolicy:
    login: bool = True
    verified: bool = True  # two-factor done, for users whose roles need it
    action: str | None = None  # an action the user must be allowed at all (object checks happen in the view)
    api: bool = False  # DRF views: authentication and actions are enforced by GatePermission


def _mark(policy: ViewPolicy) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view.gate_policy = policy  # type: ignore[attr-defined]
        return view

    return decorate


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Open to anyone, signed in or not (sign-in page, health check, public information)."""
    return _mark(ViewPolicy(login=False, verified=False))(view)


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """Any signed-in, two-factor-verified user; the view scopes what it shows through the gate."""
    return _mark(ViewPolicy())(view)


def password_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in with a password but not yet two-factor verified (the two-factor pages themselves)."""
    return _mark(ViewPolicy(verified=False))(view)


def allowed(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed in, verified, and allowed `action` at all."""
    return _mark(ViewPolicy(action=action))


def policy_of(view: Any) -> ViewPolicy | None:
    found = getattr(view, "gate_policy", None)
    if found is None and hasattr(view, "cls"):  # DRF and class-based views
        found = getattr(view.cls, "gate_policy", None)
    if found is None and hasattr(view, "view_class"):
        found = getattr(view.view_class, "gate_policy", None)
    return found
