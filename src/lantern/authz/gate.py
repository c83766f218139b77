"""The authorisation gate: rules and scopes registered per action, and the verbs every caller uses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


# The checks a request passed, when someone listens (`passed_checks`): an idempotent API replay repeats them.
# Each is (how, action, model label or None, pk or None); how is "require" (a rule) or "access"
# (scope + rule).
GateCheck = tuple[str, str, str | None, str | None]
_passed: ContextVar[list[GateCheck] | None] = ContextVar("lantern_gate_passed", default=None)


@contextmanager
def passed_checks() -> Iterator[list[GateCheck]]:
    """Collect the mandatory checks (`require`, `access`, the API's permission class) passed inside."""
    checks: list[GateCheck] = []
    token = _passed.set(checks)
    try:
        yield checks
    finally:
        _passed.reset(token)


def note_passed(how: str, action: str, obj: Any) -> None:
    checks = _passed.get()
    if checks is None:
        return
    if isinstance(obj, models.Model) and obj.pk is not None:
        check: GateCheck = (how, action, obj._meta.label_lower, str(obj.pk))
    else:
        check = ("require", action, None, None)
    if check not in checks:
        checks.append(check)


def recheck(actor: Any, checks: list[GateCheck]) -> Exception | None:
    """Run recorded checks again for `actor`: None when all pass, else the NotVisible or Denied they raise
    now (an object that is gone or hidden is NotVisible, like `access`)."""
    from django.apps import apps

    for how, action, label, pk in checks:
        if label is None:
            if not can(actor, action):
                return Denied(action)
            continue
        model = apps.get_model(label)
        scoped = how == "access" and (label, action) in _scopes
        rows = visible(actor, action, model) if scoped else model._default_manager.all()
        obj = rows.filter(pk=pk).first()
        if obj is None or not can(actor, action, obj):
            note_denied(actor, action, model, pk)
            return NotVisible() if how == "access" or obj is None else Denied(action, obj)
    return None


def require(actor: Any, action: str, obj: Any = None) -> None:
    if not can(actor, action, obj):
        raise Denied(action, obj)
    note_passed("require", action, obj)


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
    note_passed("access", action, obj)
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
