"""Only the audit app listens to model saves and deletes: a business rule runs in the service that causes it
(`lantern.cases.reactions` lists what other apps do after an action), never in a `post_save` receiver."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal

MODEL_SIGNALS: dict[str, Signal] = {
    "pre_save": pre_save,
    "post_save": post_save,
    "pre_delete": pre_delete,
    "post_delete": post_delete,
}


def receivers(signal: Signal) -> Iterator[Any]:
    """The functions connected to `signal` (Django keeps weak references to most)."""
    for entry in signal.receivers:
        target = entry[1]
        yield target() if isinstance(target, weakref.ReferenceType) else target


def lantern_receivers() -> Iterator[tuple[str, str]]:
    """(signal, module.function) of every receiver of a model signal connected from Lantern's code but
    outside `lantern.audit`."""
    for name, signal in MODEL_SIGNALS.items():
        for function in receivers(signal):
            module = getattr(function, "__module__", "") or ""
            if module.startswith("lantern.") and not module.startswith("lantern.audit."):
                yield name, f"{module}.{getattr(function, '__qualname__', function)}"


def test_no_model_signal_receiver_outside_the_audit_app() -> None:
    assert list(lantern_receivers()) == []


def test_the_check_finds_a_receiver_connected_elsewhere() -> None:
    def schedule_something(sender: Any, **kwargs: Any) -> None:  # a business rule hidden in a signal
        pass

    schedule_something.__module__ = "lantern.records.signals"
    post_save.connect(schedule_something, dispatch_uid="test.hidden_rule")
    try:
        found = list(lantern_receivers())
    finally:
        post_save.disconnect(dispatch_uid="test.hidden_rule")
    assert len(found) == 1 and found[0][0] == "post_save" and "schedule_something" in found[0][1]
    # The audit app's own receivers are what model signals are for, and the check leaves them alone.
    assert "lantern.audit.signals" in {getattr(f, "__module__", "") for f in receivers(post_save)}
