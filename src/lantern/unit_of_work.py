"""A unit of work: a `transaction.atomic` block that does the work deferred to it as its last statements.

Django has `transaction.on_commit` (after the commit) but no hook that runs *before* the commit. This is the
one piece of that we need: work that several writes of one unit would each ask for (rebuilding a case's
statistics fact row after the case, its timeline and its decision are saved) is collected and done once,
still inside the transaction.

- ``with unit_of_work():`` (or ``@unit_of_work()`` on a service, in place of ``@transaction.atomic``) opens an
  atomic block, exactly as ``transaction.atomic()`` would (same savepoint, same queries).
- ``at_end(work, item)`` queues `item` for ``work(items)`` when a unit is open, and runs ``work({item})`` at
  once otherwise. At the end of the outermost open unit, each queued `work` runs once with every item queued
  for it, inside the unit's atomic block, before it is released or committed.
- A unit inside a unit joins it (its work is done by the outer one). A unit that ends with an exception, or
  whose block is marked for rollback (``transaction.set_rollback``), runs nothing: its writes are undone.

Why this keeps "in the same transaction" guarantees (`lantern.insights.signals`): the work runs in the
unit's atomic block, after every write made in that block, so it is committed with those writes or rolled
back with them — there is no moment, and no crash between commit and hook, where the writes are committed
without it (which `on_commit` could not promise). Items whose writes were undone by a savepoint rolled back
inside the unit stay queued: the work then redoes from the database what is already right, which is wasted
but never wrong. Writes outside any unit — a bare ``Model.save()``, the admin, a fixture — still do the work
at once. The open unit lives in a context variable, so it belongs to one thread (a thread started inside it
has its own database connection and transaction, and does its work at once). Only the default database.

Inside a unit, what the work maintains lags the unit's own writes until the unit ends; nothing in a service
reads it back.

Why services and not the request: the request's transaction (``ATOMIC_REQUESTS``) is opened by Django's
handler around the view, inside every middleware, so no middleware can run anything before that commit, and
wrapping each request in a block of our own would add a savepoint to every request. Services already declare
the transaction of each change, and web forms, the API and management commands all go through them, so a
unit there costs nothing. The services whose one call writes several of a case's rows (the case, its
consents, decisions and timeline) are units; one that writes a single row has nothing to gain. A request
that calls two services does each one's work once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

Work = Callable[[set[Any]], object]

_queued: ContextVar[dict[Work, set[Any]] | None] = ContextVar("lantern_unit_of_work", default=None)


@contextmanager
def unit_of_work() -> Iterator[None]:
    """An atomic block that does the work queued with `at_end` once, at its end, inside it."""
    with transaction.atomic():
        if _queued.get() is not None:
            yield  # inside another unit: that one does the work
            return
        queued: dict[Work, set[Any]] = {}
        token = _queued.set(queued)
        try:
            yield
        finally:
            _queued.reset(token)  # work done below acts at once for anything it writes
        if not transaction.get_rollback():
            for work, items in queued.items():
                work(items)


def at_end(work: Work, item: Any) -> None:
    """``work({item, ...})`` once at the end of the open unit of work, ``work({item})`` now without one."""
    queued = _queued.get()
    if queued is None:
        work({item})
    else:
        queued.setdefault(work, set()).add(item)
