"""Who is acting, from where, in which request: set by middleware, read when audit records are written."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    user: Any = None  # the authenticated user, resolved lazily by middleware
    pending_denials: list[Any] | None = None  # refusals to audit after the request's transaction ended


_current: ContextVar[RequestContext | None] = ContextVar("lantern_request_context", default=None)


def current() -> RequestContext:
    return _current.get() or RequestContext()


def set_current(ctx: RequestContext | None):  # type: ignore[no-untyped-def]
    return _current.set(ctx)


def reset(token) -> None:  # type: ignore[no-untyped-def]
    _current.reset(token)
