"""The authorisation gate: rules and scopes registered per action, and the verbs every caller uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from lantern.audit import context

M = TypeVar("M", bound=models.Model)
Rule = Callable[[Any, Any], bool]
Scope = Callable[[Any, models.QuerySet], models.QuerySet]

_rules: dict[str, Rule] = {}
_scopes: dict[tuple[str, str], Scope] = {}


class Denied(Exception):
    """The actor may not do this (shown as 403 where the object's existence is already known)."""

    def __init__(self, action: str, obj: Any = None) -> None:
        super().__init__(f"not allowed: {action}")
        self.action = action
        self.obj = obj


class NotVisible(Exception):
    """The object does not exist *or* the actor may not see it: the two are never told apart (404)."""


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the rule deciding `action`. Called with (actor, obj); obj is None for "may this at all"."""

    def register(fn: Rule) -> Rule:
        if action in _rules:
            raise ValueError(f"a rule for {action!r} is already registered")
        _rules[action] = fn
        return fn

    return register


def scope(model: type[models.Model], action: str = "view") -> Callable[[Scope], Scope]:
    """Register how to narrow `model`'s rows to those `action` applies to for an actor (SQL, not Python)."""

    def register(fn: Scope) -> Scope:
        _scopes[(model._meta.label_lower, action)] = fn
        return fn

    return register


def registered_actions() -> frozenset[str]:
    return frozenset(_rules)


def _active(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def can(actor: Any, action: str, obj: Any = None) -> bool:
    """True when `actor` may do `action` (on `obj`, or at all when obj is None). Unknown actions: False."""
    check = _rules.get(action)
    if check is None or not _active(actor):
        return False
    return bool(check(actor, obj))


def require(actor: Any, action: str, obj: Any = None) -> None:
    if not can(actor, action, obj):
        raise Denied(action, obj)


def visible(actor: Any, action: str, model: type[M]) -> models.QuerySet[M]:
    """The rows of `model` that `actor` may `action`, as a queryset; none for unknown (model, action)."""
    narrow = _scopes.get((model._meta.label_lower, action))
    base = model._default_manager.all()
    if narrow is None or not _active(actor) or not can(actor, action):
        return base.none()
    return narrow(actor, base)


def access(actor: Any, action: str, model: type[M], pk: Any) -> M:
    """Fetch one protected object, or raise NotVisible — for a missing and a forbidden id alike.

    A refused attempt on an object that exists is audited after the response has been sent, so the record
    survives the rollback of the request's transaction and a refused id answers as fast as a missing one.
    """
    try:
        obj = visible(actor, action, model).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        note_denied(actor, action, model, pk)
        raise NotVisible from None
    if not can(actor, action, obj):
        note_denied(actor, action, model, pk)
        raise NotVisible
    return obj


@dataclass
class PendingDenial:
    actor: Any
    action: str
    object_type: str
    object_id: str
    organisation_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def note_denied(actor: Any, action: str, model: type[models.Model], pk: Any) -> None:
    """Queue an audit record of a refused access to an object that exists (missing ids are not audited)."""
    try:
        exists = model._base_manager.filter(pk=pk).exists()
    except (ValueError, TypeError, ValidationError):
        exists = False
    if not exists:
        return
    denial = PendingDenial(
        actor=actor if _active(actor) else None,
        action=action,
        object_type=model._meta.label_lower,
        object_id=str(pk),
        detail={"action": action},
    )
    pending = context.current().pending_denials
    if pending is None:  # not in a web request (CLI, tests): write now
        write_denial(denial)
    else:
        pending.append(denial)


def write_denial(denial: PendingDenial) -> None:
    from lantern.audit.models import AuditRecord
    from lantern.audit.services import record

    record(
        AuditRecord.Action.DENIED,
        actor=denial.actor,
        object_type=denial.object_type,
        object_id=denial.object_id,
        detail=denial.detail,
    )
