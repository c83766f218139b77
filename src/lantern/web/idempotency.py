"""Acting on a form submission once, however often it arrives (double clicks, retries, Back + resend).

How to use it in a state-changing form:

1. Give the form a hidden key: ``class MyForm(IdempotentFormMixin, forms.Form)``. Every rendering of an
   unbound form carries a fresh uuid4 in ``idempotency_key``; a re-rendered bound form (validation errors)
   keeps the submitted key, which is right because nothing was done with it.
2. Let `submit_once` handle the request — the one entry point, with one result (`Submission`)::

       form, response = idempotency.submit_once(request, build, act)
       if response is not None:
           return response
       # render `form`: new (GET), or shown again after invalid input, a service's refusal or a stale key

   A view that answers only POST (a button on a detail page) redirects a GET itself, and renders its page
   with the returned form when the POST was refused.

   ``build(data)`` makes the form (``data`` is None on GET: unbound); ``act(form)`` does the write and
   returns the URL to go to next.
   - A key already processed with the same content redirects to where the first submission went, with the
     message "This was already saved." (before the form is even validated: what was valid then may not be
     now, e.g. a stage already left).
   - Otherwise the key is claimed in the same transaction as the write: if the write fails, the claim is
     undone and the user can send again; if two copies race, the database's unique key lets one through and
     the other is answered like a repeat. A service's ``ValidationError`` is put on the form
     (`apply_errors`), with nothing written and the key free again.
   - The same key sent again with DIFFERENT content (a form left open, changed and resent) is not a repeat
     (`StaleSubmission`): the form is built again from the user's input with a fresh key
     (`fresh_key_data`) and says so — nothing they typed is lost and nothing is applied twice.

What "the same content" means (`payload_digest`): every submitted field but the key and the CSRF token, and
the SHA-256 of every uploaded file (the same key sent with another file is a new upload, not a repeat).
Secret fields (`secret_fields`: password inputs) are left out of the digest, so the table never holds a fast
hash of a password, and out of the data a stale form is shown again with.

`replay` and `run_once` are the two halves, for views whose answer is not a form (the screening steps).
Requests without a key are simply run (API clients send an ``Idempotency-Key`` header instead: see
`lantern.web.api_idempotency`). Processed keys are kept in the ``screening.ProcessedSubmission`` table;
`forget_processed_submissions` removes old ones (and old API keys).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Collection
from datetime import timedelta
from typing import Any, Generic, NamedTuple, TypeVar

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELD = "idempotency_key"
# Fields that differ between two sends of the same form without the user changing anything.
IGNORED_FIELDS = frozenset({FIELD, "csrfmiddlewaretoken"})
# An uploaded file counts in the digest as "<field>_sha256": its content, not its name or temporary path.
FILE_DIGEST_SUFFIX = "_sha256"
STALE = gettext_lazy("This form was already sent once. Check it and send it again.")

FormT = TypeVar("FormT", bound=forms.BaseForm)


class Submission(NamedTuple, Generic[FormT]):
    """What a form view does next: send `response` (the write was done, or a repeat answered), or else
    render `form` (unbound on GET; bound again after invalid input, a refusal or a stale key)."""

    form: FormT | None
    response: HttpResponse | None


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


def secret_fields(form: forms.BaseForm) -> frozenset[str]:
    """The form's fields that are never kept or shown again: its password inputs."""
    return frozenset(
        name for name, field in form.fields.items() if isinstance(field.widget, forms.PasswordInput)
    )


def _file_sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def payload_digest(
    data: QueryDict, files: MultiValueDict[str, UploadedFile] | None = None, leave_out: Collection[str] = ()
) -> str:
    """A digest of what the user submitted: every field but the key, the CSRF token and `leave_out`, and the
    SHA-256 of every uploaded file, in a fixed order."""
    skip = IGNORED_FIELDS | frozenset(leave_out)
    items = [(name, sorted(data.getlist(name))) for name in data if name not in skip]
    uploads = files if files is not None else MultiValueDict()
    items += [
        (name + FILE_DIGEST_SUFFIX, sorted(_file_sha256(upload) for upload in uploads.getlist(name)))
        for name in uploads
        if name not in skip
    ]
    items.sort()
    return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()


def _request_digest(request: HttpRequest, leave_out: Collection[str] = ()) -> str:
    return payload_digest(request.POST, request.FILES, leave_out)


def _say_repeat(request: HttpRequest) -> None:
    messages.info(request, _("This was already saved."))


def _earlier_url(request: HttpRequest, digest: str) -> str | None:
    """Where the first submission with this key and content went (None if there was none)."""
    key = submitted_key(request)
    if key is None or not request.user.is_authenticated:
        return None
    earlier = _model().objects.filter(key=key, user=request.user).first()
    if earlier is None or not earlier.response_url:
        return None
    if earlier.payload_digest != digest:
        return None  # same form sent again with changes: `_act_once` reports it as stale
    return str(earlier.response_url)


def _act_once(request: HttpRequest, act: Callable[[], str], digest: str) -> str:
    """Run `act` once per key and return its URL (or, for a repeat, the first submission's URL)."""
    key = submitted_key(request)
    if key is None:
        return act()
    model = _model()
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = model.objects.create(key=key, user=request.user, payload_digest=digest)
        except IntegrityError:
            # Processed before (or by a twin request that committed first while we waited on the key).
            earlier = model.objects.filter(key=key, user=request.user).first()
            if earlier is not None and earlier.payload_digest == digest and earlier.response_url:
                _say_repeat(request)
                return str(earlier.response_url)
            raise StaleSubmission(key) from None
        url = act()
        claim.response_url = url[:500]
        claim.save(update_fields=["response_url"])
    return url


def replay(request: HttpRequest, *, leave_out: Collection[str] = ()) -> HttpResponse | None:
    """A redirect to where the first submission with this key and content went, or None."""
    url = _earlier_url(request, _request_digest(request, leave_out))
    if url is None:
        return None
    _say_repeat(request)
    return HttpResponseRedirect(url)


def run_once(
    request: HttpRequest, act: Callable[[], str], *, leave_out: Collection[str] = ()
) -> HttpResponse:
    """Run `act` (does the write, returns the URL to go to next) once per key; redirect there.

    Raises `StaleSubmission` when the key was already used for different content, and lets any exception
    of `act` through after undoing both the write and the claim of the key.
    """
    return HttpResponseRedirect(_act_once(request, act, _request_digest(request, leave_out)))


def fresh_key_data(data: QueryDict, *, leave_out: Collection[str] = (), **overrides: str) -> QueryDict:
    """A copy of submitted data with a new key, without the `leave_out` fields (and with any overrides, e.g.
    the current version)."""
    fresh = data.copy()
    for name in leave_out:
        fresh.pop(name, None)
    fresh[FIELD] = new_key()
    for name, value in overrides.items():
        fresh[name] = value
    return fresh


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (unknown fields go to the summary's top)."""
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def submit_once(
    request: HttpRequest,
    build: Callable[[QueryDict | None], FormT],
    act: Callable[[FormT], str],
    *,
    on_error: Callable[[FormT, ValidationError], None] = apply_errors,
    done: Callable[[str], HttpResponse] = HttpResponseRedirect,
) -> Submission[FormT]:
    """A form page's one call: ``Submission(form, None)`` to render, or ``Submission(None, response)``.

    On GET, the unbound form ``build(None)``. On POST, ``build(data)`` makes the form from submitted data
    (``request.POST``, or a copy with a fresh key); ``act(form)`` is run with the valid form, once per key,
    inside the key's claim, and returns the URL to go to. `done` turns that URL into the response — also
    for a repeat, which goes where the first went (the default redirects; an htmx view may render in place).
    The form comes back when its input is invalid, when `act` raised a ``ValidationError`` (put on it by
    `on_error`; nothing was written), or when the key was already used for other content (shown again with
    a fresh key and a message; secret fields are left out and must be typed again).
    """
    if request.method != "POST":
        return Submission(build(None), None)
    form = build(request.POST)
    secret = secret_fields(form)
    digest = _request_digest(request, secret)
    if (earlier := _earlier_url(request, digest)) is not None:
        _say_repeat(request)
        return Submission(None, done(earlier))
    if not form.is_valid():
        return Submission(form, None)
    try:
        url = _act_once(request, lambda: act(form), digest)
    except ValidationError as exc:
        on_error(form, exc)
        return Submission(form, None)
    except StaleSubmission:
        form = build(fresh_key_data(request.POST, leave_out=secret))
        form.is_valid()
        form.add_error(None, STALE)
        return Submission(form, None)
    return Submission(None, done(url))


def forget_processed_submissions(older_than: timedelta = timedelta(days=7)) -> int:
    """Delete form keys older than `older_than` (a resend after a week is treated as new), and API keys past
    their own lifetime (`lantern.web.api_idempotency.KEY_LIFETIME`). Returns the count."""
    from .api_idempotency import forget_api_keys

    deleted, _details = _model().objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted + forget_api_keys()
