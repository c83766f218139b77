"""A database outage during a request: 503 with the input kept, nothing half-written, a retry applied once.

The outage is simulated by making a service write and then raise the error psycopg raises when the server
goes away; the request's transaction must undo the write. Runs on SQLite and, with DATABASE_URL set by
scripts/with-postgres, on PostgreSQL.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError, OperationalError
from django.test import Client
from django.urls import reverse

from lantern.cases import services as case_services
from lantern.cases.models import Case
from lantern.conftest import verify_session
from lantern.referrals import services as referral_services
from lantern.referrals.models import Referral
from lantern.web import db_errors
from lantern.web.idempotency import new_key

pytestmark = pytest.mark.django_db(transaction=False)

GONE = "server closed the connection unexpectedly"


@pytest.fixture
def browser_client(worker: Any) -> Client:
    """A signed-in client that gets the 503 page instead of the exception re-raised into the test."""
    client = Client(raise_request_exception=False)
    client.force_login(worker)
    verify_session(client, worker)
    return client


def write_then_fail(original: Any) -> Any:
    """A service that writes, then loses the database before the request can commit."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        raise OperationalError(GONE)

    return broken


def hidden_fields(page: str) -> list[tuple[str, str]]:
    pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return [(name, html.unescape(value)) for name, value in pairs]


def test_a_failed_case_edit_answers_503_keeps_the_input_and_writes_nothing(
    browser_client: Client, open_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = open_case(given_names="Amara")
    before = case.updated_at
    monkeypatch.setattr(case_services, "update_case", write_then_fail(case_services.update_case))
    url = reverse("cases:section", args=[case.pk, "background"])
    typed = '<b>Kurdish & "Sorani"</b>'
    data = {"citizenships": ["NG", "GH"], "languages": "en, yo", "interpreter_needed": "on"}
    assert browser_client.get(url).status_code == 200  # the form page, as in a browser (sets the CSRF secret)
    response = browser_client.post(url, {**data, "interpreter_notes": typed})
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "Not saved — the service had a problem" in page
    assert html.escape(typed) in page and typed not in page  # shown back, escaped
    kept = hidden_fields(page)
    assert ("interpreter_notes", typed) in kept and ("citizenships", "GH") in kept
    assert response["Cache-Control"] == "no-store, private"
    assert "Content-Security-Policy" in response
    case.refresh_from_db()
    assert case.interpreter_notes == "" and not case.languages  # the write was rolled back with the request
    assert case.updated_at == before


def test_passwords_codes_and_tokens_are_never_echoed(
    browser_client: Client, open_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = open_case()
    monkeypatch.setattr(case_services, "update_case", write_then_fail(case_services.update_case))
    url = reverse("cases:section", args=[case.pk, "background"])
    data = {
        "languages": "en",
        "password": "hunter2-secret",
        "otp_token": "123456",
        "csrfmiddlewaretoken": "the-posted-token",
    }
    browser_client.get(url)
    page = browser_client.post(url, data).content.decode()
    assert "hunter2-secret" not in page and "123456" not in page and "the-posted-token" not in page
    assert "Passwords, codes and attached files are not kept" in page
    names = [name for name, _value in hidden_fields(page)]
    assert "password" not in names and "otp_token" not in names and "csrfmiddlewaretoken" in names


def test_sending_again_from_the_503_page_is_applied_once(
    worker: Any, open_case: Any, offer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.force_login(worker)
    verify_session(client, worker)
    case = open_case()
    url = reverse("referrals:create", args=[case.pk])
    form = client.get(url, {"offer": offer.pk}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    key = new_key()
    data = {
        "csrfmiddlewaretoken": token,
        "offer": str(offer.pk),
        "field_groups": "identity",
        "message": "Arrives at 18:00",
        "idempotency_key": key,
    }
    original = referral_services.create_referral
    monkeypatch.setattr(referral_services, "create_referral", write_then_fail(original))
    failed = client.post(url, data)
    assert failed.status_code == 503 and not Referral.objects.exists()  # nothing half-written
    again = dict(hidden_fields(failed.content.decode()))
    assert again["idempotency_key"] == key and again["message"] == "Arrives at 18:00"
    monkeypatch.setattr(referral_services, "create_referral", original)
    sent = client.post(url, again)  # "Send again": the page's own form, with its fresh CSRF token
    double_click = client.post(url, again)
    assert sent.status_code == double_click.status_code == 302
    assert sent.url == double_click.url and Referral.objects.count() == 1


def test_a_failure_before_the_view_while_reading_the_session_is_a_503_too(
    browser_client: Client, open_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = open_case(given_names="Amara")

    def unreachable(self: Any) -> Any:
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    url = reverse("cases:section", args=[case.pk, "person"])
    response = browser_client.post(url, {"given_names": "Zeynep"})
    page = response.content.decode()
    assert response.status_code == 503 and "Zeynep" in page
    assert 'data-action="send-again"' in page  # no session to read, yet the input can be sent again
    assert browser_client.get(reverse("web:home")).status_code == 503
    monkeypatch.undo()
    assert Case.objects.get(pk=case.pk).given_names == "Amara"


def test_a_get_gets_the_temporarily_unavailable_page(
    browser_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(self: Any) -> Any:
        raise OperationalError(GONE)

    monkeypatch.setattr(SessionStore, "load", unreachable)
    response = browser_client.get(reverse("web:home"))
    assert response.status_code == 503 and "temporarily unavailable" in response.content.decode()


def test_an_api_call_gets_a_json_problem_with_retry_after(
    browser_client: Client, open_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(self: Any) -> Any:
        raise OperationalError(GONE)

    monkeypatch.setattr(SessionStore, "load", unreachable)
    response = browser_client.post("/api/v1/cases/", {}, content_type="application/json")
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5" and response.json()["status"] == 503


def test_other_database_errors_stay_server_errors(
    browser_client: Client, open_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = open_case()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(case_services, "update_case", broken)
    url = reverse("cases:section", args=[case.pk, "background"])
    assert browser_client.post(url, {"languages": "en"}).status_code == 500


def test_only_outages_count_as_outages() -> None:
    try:
        try:
            raise OperationalError(GONE)
        except OperationalError as exc:
            raise RuntimeError("while rendering") from exc
    except RuntimeError as wrapped:
        assert db_errors.is_database_unavailable(wrapped)
    assert not db_errors.is_database_unavailable(IntegrityError("duplicate"))
    assert not db_errors.is_database_unavailable(ValueError("x"))
    assert db_errors.is_secret_field("new_password1") and not db_errors.is_secret_field("idempotency_key")


def test_send_again_works_when_the_session_could_not_be_read(
    worker: Any, open_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CSRF secret lives in the database session: with the database down there is none to make a token
    from, so the page carries a signed resend token, which the CSRF check accepts for this session only."""
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.force_login(worker)
    verify_session(client, worker)
    case = open_case(given_names="Amara")
    url = reverse("cases:section", args=[case.pk, "background"])
    data = {"citizenships": ["NG"], "languages": "en, yo", "interpreter_notes": "Sorani"}
    form = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]

    def unreachable(self: Any) -> Any:
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    failed = client.post(url, {"csrfmiddlewaretoken": token, **data})
    assert failed.status_code == 503
    again = dict(hidden_fields(failed.content.decode()))
    assert again["interpreter_notes"] == "Sorani" and "lantern_resend" in again
    monkeypatch.undo()  # the database is back
    # Another site cannot use it: without this browser's session cookie, or at another address, refused.
    stranger = Client(enforce_csrf_checks=True)
    stranger.cookies = client.cookies.__class__({"sessionid": "someone-else"})
    assert stranger.post(url, again).status_code == 403
    other_url = reverse("cases:section", args=[case.pk, "person"])
    assert client.post(other_url, again).status_code == 403
    sent = client.post(url, again)
    assert sent.status_code == 302
    assert Case.objects.get(pk=case.pk).interpreter_notes == "Sorani"
