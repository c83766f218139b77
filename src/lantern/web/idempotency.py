"""Acting on a form submission once, however often it arrives (double clicks, retries, Back + resend).

How to use it in a state-changing form (screenings do; cases and referrals can):

1. Give the form a hidden key: ``class MyForm(IdempotentFormMixin, forms.Form)``. Every rendering of an
   unbound form carries a fresh uuid4 in ``idempotency_key``; a re-rendered bound form (validation errors)
   keeps the submitted key, which is right because nothing was done with it.
2. In the view, first ``if (repeat := replay(request)): return repeat`` — a key already processed with the
   same content redirects to where the first submission went, with the message "This was already saved."
3. When the form is valid, ``return run_once(request, lambda: do_the_write_and_return_the_next_url())``.
   The key is claimed in the same transaction as the write: if the write fails, the claim is undone and the
   user can send again; if two copies race, the database's unique key lets one through and the other is
   answered like a repeat.
4. The same key sent again with DIFFERENT content (a form left open, changed and resent) is not a repeat:
   `run_once` raises `StaleSubmission`; show the user's input again with a fresh key (``fresh_key_data``)
   and a message — nothing they typed is lost and nothing is applied twice.

Requests without a key are simply run (API clients send an ``Idempotency-Key`` header instead: see
`lantern.web.api_idempotency`). Processed keys are kept in the ``screening.ProcessedSubmission`` table;
`forget_processed_submissions` removes old ones (and old API keys).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

FIELD = "idempotency_key"
# Fields that differ between two sends of the same form without the user changing anything.
IGNORED_FIELDS = frozenset({FIELD, "csrfmiddlewaretoken"})


class StaleSubmission(Exception):
    """The key was used before for different content: the form was stale. Show it again with a new key."""


def _model() -> Any:
    return apps.get_model("screening", "ProcessedSubmission")


def new_key() -> str:
    return str(uuid.uuid4())


class IdempotentFormMixin:
    """Adds the hidden ``idempotency_key`` field, with a new key on each unbound rendering.

    The key is read from the request (`submitted_key`), never from ``cleaned_data``: it is left out of it, so
    that ``cleaned_data`` can be handed to a service as it is.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.fields[FIELD] = forms.CharField(  # type: ignore[attr-defined]
            widget=forms.HiddenInput, required=False, initial=new_key
        )

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        getattr(self, "cleaned_data", {}).pop(FIELD, None)


def submitted_key(request: HttpRequest) -> str | None:
    """The request's key when it is a well-formed uuid, else None."""
    raw = request.POST.get(FIELD, "")
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def payload_digest(data: QueryDict) -> str:
    """A digest of what the user submitted (every field but the key and CSRF token, in a fixed order)."""
    items = sorted((name, sorted(data.getlist(name))) for name in data if name not in IGNORED_FIELDS)
    return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()


def _repeat(request: HttpRequest, url: str) -> HttpResponse:
    messages.info(request, _("This was already saved."))
    return HttpResponseRedirect(url)


def replay(request: HttpRequest) -> HttpResponse | None:
    """A redirect to where the first submission with this key and content went, or None."""
    key = submitted_key(request)
    if key is None or not request.user.is_authenticated:
        return None
    earlier = _model().objects.filter(key=key, user=request.user).first()
    if earlier is None or not earlier.response_url:
        return None
    if earlier.payload_digest != payload_digest(request.POST):
        return None  # same form sent again with changes: `run_once` reports it as stale
    return _repeat(request, earlier.response_url)


def run_once(request: HttpRequest, act: Callable[[], str]) -> HttpResponse:
    """Run `act` (does the write, returns the URL to go to next) once per key; redirect there.

    Raises `StaleSubmission` when the key was already used for different content, and lets any exception
    of `act` through after undoing both the write and the claim of the key.
    """
    key = submitted_key(request)
    if key is None:
        return HttpResponseRedirect(act())
    model = _model()
    digest = payload_digest(request.POST)
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = model.objects.create(key=key, user=request.user, payload_digest=digest)
        except IntegrityError:
            # Processed before (or by a twin request that committed first while we waited on the key).
            earlier = model.objects.filter(key=key, user=request.user).first()
            if earlier is not None and earlier.payload_digest == digest and earlier.response_url:
                return _repeat(request, earlier.response_url)
            raise StaleSubmission(key) from None
        url = act()
        claim.response_url = url[:500]
        claim.save(update_fields=["response_url"])
    return HttpResponseRedirect(url)


def fresh_key_data(data: QueryDict, **overrides: str) -> QueryDict:
    """A copy of submitted data with a new key (and any overrides, e.g. the current version)."""
    fresh = data.copy()
    fresh[FIELD] = new_key()
    for name, value in overrides.items():
        fresh[name] = value
    return fresh


def forget_processed_submissions(older_than: timedelta = timedelta(days=7)) -> int:
    """Delete form keys older than `older_than` (a resend after a week is treated as new), and API keys past
    their own lifetime (`lantern.web.api_idempotency.KEY_LIFETIME`). Returns the count."""
    from .api_idempotency import forget_api_keys

    deleted, _details = _model().objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted + forget_api_keys()
