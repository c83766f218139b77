"""The ``Idempotency-Key`` header of the API: a call sent again (a retry after a timeout or a 503) acts once.

A client that may send a POST, PUT, PATCH or DELETE of ``/api/v1/`` twice gives it a key of its own (a uuid4
is right), the same on every send of that call:

- the first send runs as usual; its answer (status and body) is stored with the key, for that user, in the
  same transaction as the change itself — both are kept, or neither;
- a send with the same key and the same request (method, path, body) gets the stored answer again, with the
  header ``Idempotent-Replayed: true``, and changes nothing;
- a replay passes the gate again: the checks the first send passed (its view's permission, the objects it
  reached) are run for the user as they are now, so someone who lost the right gets 403 or 404 as usual and
  no stored body; a replay that passes is audited as a read of those objects;
- the same key with a different request is a client error: 422, nothing done — after the gate: someone the
  view would refuse (its action for this method, the object in the path) gets that 403 or 404, not a 422;
- a failed call (5xx, e.g. the database went away) stores nothing, so it can be sent again with its key.

Keys are kept for `KEY_LIFETIME`; after that the key is free again. `lantern retention` removes old keys
with the form keys (`lantern.web.idempotency.forget_processed_submissions`). Calls without the header run
as before.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit.models import AuditRecord
from lantern.audit.services import record as audit
from lantern.authz import gate

from .models import ApiIdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
API_PREFIX = "/api/v1/"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_LIFETIME = timedelta(hours=24)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces, as in the IETF draft's examples


def problem(status: int, title: str, detail: str) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


def request_digest(request: HttpRequest) -> str:
    """What makes two sends "the same call": method, full path with query, and the exact body."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path()):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def api_user(request: HttpRequest) -> Any:
    """The user the API would act for (token or session, as the API's authenticators decide), or None."""
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    authenticators = [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    try:
        user = Request(request, authenticators=authenticators).user
    except APIException:
        return None  # the view will refuse the call with the proper answer
    return user if user is not None and user.is_authenticated else None


def accepts(request: HttpRequest) -> bool:
    """Whether an API view answers this path and method (else the key plays no part)."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    method = (request.method or "").lower()
    actions = getattr(view, "actions", None)  # a viewset route: method -> action
    if actions is not None:
        return method in actions
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    return view_class is None or hasattr(view_class, method)


def replay(record: ApiIdempotencyKey) -> HttpResponse:
    response = HttpResponse(record.body, status=record.status, content_type=record.content_type or None)
    response[REPLAYED_HEADER] = "true"
    return response


def refusal(refused: Exception) -> HttpResponse:
    """The answer the API gives for a gate refusal (as `authz.api.exception_handler`)."""
    if isinstance(refused, gate.NotVisible):
        return problem(404, _("Not found"), _("No such object, or you may not see it."))
    return problem(403, _("Not allowed"), _("You do not have permission to perform this action."))


def view_gate_refusal(request: HttpRequest, user: Any) -> Exception | None:
    """What the gate says about this call before its view runs: the view's action for this method at all,
    and the object named in the path when the view reads it through the gate (`GatedObjectMixin`)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    gate_actions = getattr(view_class, "gate_actions", None)
    if gate_actions is None:
        return None
    method = (request.method or "").lower()
    drf_action = (getattr(match.func, "actions", None) or {}).get(method, "")
    action = gate_actions.get(drf_action) or gate_actions.get(request.method)
    if action is None or not gate.can(user, action):
        return gate.Denied(action or "")
    model = getattr(view_class, "gate_model", None)
    lookup = getattr(view_class, "lookup_url_kwarg", None) or getattr(view_class, "lookup_field", "pk")
    if model is not None and lookup in match.kwargs:
        try:
            gate.access(user, action, model, match.kwargs[lookup])  # a refusal is audited, as in the view
        except gate.NotVisible as exc:
            return exc
    return None


def audit_replay(request: HttpRequest, user: Any, checks: list[Any]) -> None:
    """A replay hands the stored answer out again: a read of what the first send reached."""
    detail = {"idempotent_replay": True, "method": request.method, "path": request.path}
    objects = sorted({(label, pk) for _how, _action, label, pk in checks if label is not None})
    for label, pk in objects or [("api.call", request.path)]:
        audit(AuditRecord.Action.VIEW, actor=user, object_type=label, object_id=pk, detail=detail)


class ApiIdempotencyMiddleware:
    """Applies the rules above to write calls of the API that carry the header."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITE_METHODS or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not _KEY.match(key):
            return problem(
                400,
                _("Invalid Idempotency-Key"),
                _("An Idempotency-Key is 1 to 255 printable characters without spaces, e.g. a UUID."),
            )
        if not accepts(request):
            return self.get_response(request)  # no such endpoint or method: answered 404/405 as usual
        user = api_user(request)
        if user is None:
            return self.get_response(request)  # not signed in: refused by the view as usual, nothing to keep
        return self.once(request, user, key)

    def once(self, request: HttpRequest, user: Any, key: str) -> HttpResponse:
        digest = request_digest(request)
        with transaction.atomic():
            ApiIdempotencyKey.objects.filter(
                user=user, key=key, created_at__lt=timezone.now() - KEY_LIFETIME
            ).delete()
            try:
                with transaction.atomic():
                    record = ApiIdempotencyKey.objects.create(user=user, key=key, request_digest=digest)
            except IntegrityError:
                # Done before, or by a twin call that committed while this one waited on the key.
                earlier = ApiIdempotencyKey.objects.filter(user=user, key=key).first()
                if earlier is None:  # the twin failed and let the key go: run this one
                    return self.once(request, user, key)
                if earlier.request_digest != digest:
                    refused = view_gate_refusal(request, user)
                    if refused is not None:  # the gate first: what the view would answer, not a 422
                        return refusal(refused)
                    return problem(
                        422,
                        _("Idempotency-Key already used"),
                        _(
                            "This Idempotency-Key was used for a different request. "
                            "Use a new key for a new request."
                        ),
                    )
                refused = gate.recheck(user, earlier.gate_checks) or view_gate_refusal(request, user)
                if refused is not None:
                    return refusal(refused)
                audit_replay(request, user, earlier.gate_checks)
                return replay(earlier)
            with gate.passed_checks() as checks:
                response = self.get_response(request)
            if response.status_code >= 500 or response.streaming:
                transaction.set_rollback(True)  # nothing kept: the call may be sent again with its key
                return response
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "")[:100]
            record.body = response.content.decode(response.charset or "utf-8", errors="replace")
            record.gate_checks = [list(check) for check in checks]
            record.save(update_fields=["status", "content_type", "body", "gate_checks"])
        return response


def forget_api_keys(older_than: timedelta = KEY_LIFETIME) -> int:
    """Delete keys older than `older_than`. Returns the count."""
    deleted, _details = ApiIdempotencyKey.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


def document_idempotency_key(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: the optional ``Idempotency-Key`` header on every write."""
    parameter = {
        "name": HEADER,
        "in": "header",
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[\x21-\x7e]+$"},
        "description": (
            "A key of the client's choosing (a UUID) to make a retry safe: the same key with the same "
            "request within 24 hours returns the first answer again, with the header "
            "`Idempotent-Replayed: true`, and changes nothing; the same key with a different request "
            "is refused with 422."
        ),
    }
    for _path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method.upper() not in WRITE_METHODS or not isinstance(operation, dict):
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == HEADER for p in parameters if isinstance(p, dict)):
                parameters.append(parameter)
            operation.setdefault("responses", {}).setdefault(
                "422",
                {
                    "description": "The Idempotency-Key was already used for a different request.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                },
            )
    return result
