"""A form submission is acted on once per idempotency key; a changed resend is reported, not swallowed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from lantern.accounts.roles import Role
from lantern.screening.models import ProcessedSubmission
from lantern.web import idempotency

pytestmark = pytest.mark.django_db


def post(user: Any, **data: str) -> Any:
    request = RequestFactory().post("/somewhere/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.fixture
def user(personas: Any) -> Any:
    return personas.own[Role.SCREENER]


def test_a_resent_submission_goes_where_the_first_went_and_is_not_acted_on_twice(user: Any) -> None:
    key = idempotency.new_key()
    calls = []

    def act() -> str:
        calls.append(1)
        return "/next/"

    first = idempotency.run_once(post(user, idempotency_key=key, answer="yes"), act)
    again = post(user, idempotency_key=key, answer="yes")
    repeat = idempotency.replay(again)
    assert first.url == "/next/" and repeat is not None and repeat.url == "/next/"
    assert [str(m) for m in get_messages(again)] == ["This was already saved."]
    # A twin that got past replay (a race) is answered the same way by the unique key.
    assert idempotency.run_once(post(user, idempotency_key=key, answer="yes"), act).url == "/next/"
    assert calls == [1]


def test_the_same_key_with_changed_content_is_a_stale_submission(user: Any) -> None:
    key = idempotency.new_key()
    idempotency.run_once(post(user, idempotency_key=key, answer="yes"), lambda: "/next/")
    changed = post(user, idempotency_key=key, answer="no")
    assert idempotency.replay(changed) is None
    with pytest.raises(idempotency.StaleSubmission):
        idempotency.run_once(changed, lambda: "/next/")


def test_a_failed_write_releases_the_key_so_the_user_can_send_again(user: Any) -> None:
    key = idempotency.new_key()

    def fail() -> str:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        idempotency.run_once(post(user, idempotency_key=key), fail)
    assert not ProcessedSubmission.objects.filter(key=key).exists()
    assert idempotency.run_once(post(user, idempotency_key=key), lambda: "/done/").url == "/done/"


def test_another_users_key_is_never_replayed(user: Any, personas: Any) -> None:
    key = idempotency.new_key()
    idempotency.run_once(post(user, idempotency_key=key), lambda: "/mine/")
    intruder = post(personas.own[Role.CASE_WORKER], idempotency_key=key)
    assert idempotency.replay(intruder) is None
    with pytest.raises(idempotency.StaleSubmission):
        idempotency.run_once(intruder, lambda: "/theirs/")


def test_requests_without_a_valid_key_are_simply_run(user: Any) -> None:
    calls = []
    for data in ({}, {"idempotency_key": "not-a-uuid"}):
        idempotency.run_once(post(user, **data), lambda: calls.append(1) or "/x/")
    assert calls == [1, 1] and not ProcessedSubmission.objects.exists()


def test_the_digest_ignores_the_key_and_csrf_token_only(user: Any) -> None:
    a = post(user, idempotency_key=idempotency.new_key(), csrfmiddlewaretoken="a", answer="yes").POST
    b = post(user, idempotency_key=idempotency.new_key(), csrfmiddlewaretoken="b", answer="yes").POST
    c = post(user, idempotency_key=idempotency.new_key(), answer="no").POST
    assert idempotency.payload_digest(a) == idempotency.payload_digest(b) != idempotency.payload_digest(c)


def test_fresh_key_data_keeps_the_input_with_a_new_key(user: Any) -> None:
    data = post(user, idempotency_key=idempotency.new_key(), answer="yes", version="3").POST
    fresh = idempotency.fresh_key_data(data, version="4")
    assert fresh["answer"] == "yes" and fresh["version"] == "4"
    assert fresh["idempotency_key"] != data["idempotency_key"]


def test_old_keys_are_forgotten(user: Any) -> None:
    idempotency.run_once(post(user, idempotency_key=idempotency.new_key()), lambda: "/x/")
    ProcessedSubmission.objects.update(
        created_at=ProcessedSubmission.objects.get().created_at - timedelta(days=8)
    )
    assert idempotency.forget_processed_submissions() == 1
