"""An object of another organisation answers like a missing id: same status, same body, and the same work
before the response (the refusal is audited after the response has gone out)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.cases.tests.factories import case_related_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi() -> Any:
    """The WSGI application, called as a server would (the response is closed after it was sent)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _serve(wsgi: Any, path: str, token: str) -> tuple[Any, list[str]]:
    """The response and the SQL run before it was handed to the server."""
    environ = RequestFactory().get(path, HTTP_AUTHORIZATION=f"Bearer {token}").environ
    with CaptureQueriesContext(connection) as queries:
        response = wsgi(environ, lambda status, headers: None)
    # The statements without their values (ids, savepoint names), in order.
    return response, [re.sub(r"\d+", "N", q["sql"]) for q in queries.captured_queries]


def test_a_foreign_id_does_the_same_work_as_a_missing_one_and_is_audited_after_the_response(
    wsgi: Any, personas: Any
) -> None:
    path = "/api/v1/cases/{}/"
    foreign = case_related_to(personas.other_org, personas.other[Role.CASE_WORKER])
    missing_id = foreign.pk + 1000
    _, token = ApiToken.issue(personas.own[Role.CASE_WORKER], "timing")
    missing, missing_sql = _serve(wsgi, path.format(missing_id), token)
    refused, refused_sql = _serve(wsgi, path.format(foreign.pk), token)
    assert missing.status_code == refused.status_code
    assert refused_sql == missing_sql  # no lookup or audit write before the answer
    assert not AuditRecord.objects.filter(action="denied", object_id=str(foreign.pk)).exists()
    refused.close()  # the server has sent the answer
    missing.close()
    assert AuditRecord.objects.filter(action="denied", object_id=str(foreign.pk)).exists()
    assert not AuditRecord.objects.filter(action="denied", object_id=str(missing_id)).exists()
