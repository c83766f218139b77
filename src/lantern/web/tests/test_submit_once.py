"""`submit_once`, the one handling of an idempotent form: a GET gives the unbound form, a repeat goes where
the first went, a service's refusal and a stale key give the form back with the user's input, secrets are
neither kept nor echoed, and an uploaded file counts in what "the same content" means."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory

from lantern.accounts.roles import Role
from lantern.screening.models import ProcessedSubmission
from lantern.web import idempotency

pytestmark = pytest.mark.django_db


class AnswerForm(idempotency.IdempotentFormMixin, forms.Form):
    answer = forms.CharField()
    # Rendered with its value on purpose: only `submit_once` stands between the secret and the page.
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))


class FileForm(idempotency.IdempotentFormMixin, forms.Form):
    note = forms.CharField()
    file = forms.FileField()


def post(user: Any, data: dict[str, Any]) -> Any:
    request = RequestFactory().post("/somewhere/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def said(request: Any) -> list[str]:
    return [str(message) for message in get_messages(request)]


@pytest.fixture
def user(personas: Any) -> Any:
    return personas.own[Role.SCREENER]


class Act:
    """Counts its calls; returns a URL, or raises what it was told to."""

    def __init__(self, url: str = "/next/", error: ValidationError | None = None) -> None:
        self.url, self.error, self.forms = url, error, []

    def __call__(self, form: forms.Form) -> str:
        self.forms.append(form)
        if self.error is not None:
            raise self.error
        return self.url


def submit(*args: Any, **kwargs: Any) -> Any:
    """`submit_once`'s answer as one value: the response to send, or else the form to render."""
    form, response = idempotency.submit_once(*args, **kwargs)
    assert (form is None) != (response is None)
    return response if response is not None else form


def test_a_get_gives_the_unbound_form_and_acts_on_nothing(user: Any) -> None:
    act = Act()
    request = RequestFactory().get("/somewhere/")
    request.user = user
    form, response = idempotency.submit_once(request, AnswerForm, act)
    assert response is None and isinstance(form, AnswerForm) and not form.is_bound
    assert form[idempotency.FIELD].value() and act.forms == [] and not ProcessedSubmission.objects.exists()


def test_a_repeat_goes_where_the_first_went_before_the_form_is_validated_again(user: Any) -> None:
    act = Act()
    data = {"answer": "yes", idempotency.FIELD: idempotency.new_key()}
    first = submit(post(user, data), AnswerForm, act)
    assert isinstance(first, HttpResponse) and first.status_code == 302 and first.url == "/next/"
    assert [form.cleaned_data for form in act.forms] == [{"answer": "yes", "password": ""}]

    class NowInvalid(AnswerForm):  # what was valid then may not be now (e.g. a stage already left)
        def clean(self) -> dict[str, Any]:
            raise ValidationError("no longer valid")

    again = post(user, data)
    repeat = submit(again, NowInvalid, act)
    assert isinstance(repeat, HttpResponse) and repeat.url == "/next/"
    assert len(act.forms) == 1 and said(again) == ["This was already saved."]


def test_done_answers_both_the_first_send_and_a_repeat(user: Any) -> None:
    data = {"answer": "yes", idempotency.FIELD: idempotency.new_key()}
    answered: list[str] = []

    def done(url: str) -> HttpResponse:
        answered.append(url)
        return HttpResponse("panel")

    for _ in range(2):
        outcome = submit(post(user, data), AnswerForm, Act("/pair/"), done=done)
        assert isinstance(outcome, HttpResponse) and outcome.content == b"panel"
    assert answered == ["/pair/", "/pair/"]


def test_invalid_input_comes_back_as_the_form_and_nothing_is_claimed(user: Any) -> None:
    act = Act()
    outcome = submit(post(user, {"answer": "", idempotency.FIELD: idempotency.new_key()}), AnswerForm, act)
    assert isinstance(outcome, AnswerForm) and "answer" in outcome.errors
    assert act.forms == [] and not ProcessedSubmission.objects.exists()


def test_a_stale_key_shows_the_changed_input_again_with_a_new_key_and_applies_nothing(user: Any) -> None:
    act = Act()
    key = idempotency.new_key()
    submit(post(user, {"answer": "yes", idempotency.FIELD: key}), AnswerForm, act)
    changed = post(user, {"answer": "no", idempotency.FIELD: key})
    outcome = submit(changed, AnswerForm, act)
    assert isinstance(outcome, AnswerForm) and outcome.is_bound
    assert outcome.data["answer"] == "no" and outcome.data[idempotency.FIELD] not in ("", key)
    assert outcome.non_field_errors() == [str(idempotency.STALE)]
    assert str(idempotency.STALE) == "This form was already sent once. Check it and send it again."
    assert len(act.forms) == 1 and ProcessedSubmission.objects.count() == 1


def test_a_services_refusal_is_put_on_the_form_with_the_input_kept_and_the_key_released(user: Any) -> None:
    key = idempotency.new_key()
    data = {"answer": "maybe", idempotency.FIELD: key}
    refused = Act(error=ValidationError({"answer": "Not an answer.", "elsewhere": "Something else."}))
    outcome = submit(post(user, data), AnswerForm, refused)
    assert isinstance(outcome, AnswerForm)
    assert outcome.errors["answer"] == ["Not an answer."] and outcome.non_field_errors() == [
        "Something else."
    ]
    assert outcome.data["answer"] == "maybe" and outcome.data[idempotency.FIELD] == key
    assert not ProcessedSubmission.objects.exists()
    # Nothing was done with the key: sending the same form again is acted on.
    again = submit(post(user, data), AnswerForm, Act("/done/"))
    assert isinstance(again, HttpResponse) and again.url == "/done/"


def test_errors_may_be_applied_another_way(user: Any) -> None:
    seen: list[list[str]] = []
    outcome = submit(
        post(user, {"answer": "x", idempotency.FIELD: idempotency.new_key()}),
        AnswerForm,
        Act(error=ValidationError("Refused.")),
        on_error=lambda form, exc: seen.append(exc.messages),
    )
    assert isinstance(outcome, AnswerForm) and seen == [["Refused."]] and not outcome.errors


def test_a_secret_field_is_neither_in_the_digest_nor_shown_again(user: Any) -> None:
    key = idempotency.new_key()
    act = Act()
    submit(
        post(user, {"answer": "yes", "password": "hunter2 hunter2", idempotency.FIELD: key}), AnswerForm, act
    )
    without = QueryDict(mutable=True)
    without["answer"] = "yes"
    assert ProcessedSubmission.objects.get().payload_digest == idempotency.payload_digest(without)
    # The password is no part of "the same content": another one with the same key is a repeat.
    repeat = submit(
        post(user, {"answer": "yes", "password": "other", idempotency.FIELD: key}), AnswerForm, act
    )
    assert isinstance(repeat, HttpResponse) and len(act.forms) == 1
    stale = submit(
        post(user, {"answer": "no", "password": "hunter2 hunter2", idempotency.FIELD: key}), AnswerForm, act
    )
    assert isinstance(stale, AnswerForm) and "password" not in stale.data
    assert "hunter2" not in str(stale) and 'value="no"' in str(stale)


def test_a_form_without_secrets_has_none(user: Any) -> None:
    assert idempotency.secret_fields(AnswerForm()) == {"password"}
    assert idempotency.secret_fields(FileForm()) == frozenset()


def upload(content: bytes, name: str = "a.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def test_the_digest_covers_each_uploaded_files_content_not_its_name(user: Any) -> None:
    def digest(content: bytes, name: str = "a.txt") -> str:
        request = post(user, {"note": "n", "file": upload(content, name)})
        return idempotency.payload_digest(request.POST, request.FILES)

    assert digest(b"one") == digest(b"one", "renamed.txt") != digest(b"two")
    # The same digest as the records page's former `with_file_digest` made: keys stored before still replay.
    request = post(user, {"note": "n", "file": upload(b"one")})
    legacy = request.POST.copy()
    legacy["file_sha256"] = hashlib.sha256(b"one").hexdigest()
    assert idempotency.payload_digest(request.POST, request.FILES) == idempotency.payload_digest(legacy)
    assert request.FILES["file"].read() == b"one"  # read for the digest, then rewound


def test_the_same_key_with_another_file_is_stale_and_with_the_same_file_a_repeat(user: Any) -> None:
    key = idempotency.new_key()
    act = Act()

    def send(content: bytes) -> Any:
        request = post(user, {"note": "n", "file": upload(content), idempotency.FIELD: key})
        return submit(request, lambda data: FileForm(data, request.FILES), act)

    assert isinstance(send(b"one"), HttpResponse)
    other = send(b"two")
    assert isinstance(other, FileForm) and other.non_field_errors() == [str(idempotency.STALE)]
    assert isinstance(send(b"one"), HttpResponse) and len(act.forms) == 1


def test_a_post_without_a_key_is_simply_run(user: Any) -> None:
    act = Act()
    for _ in range(2):
        assert isinstance(submit(post(user, {"answer": "yes"}), AnswerForm, act), HttpResponse)
    assert len(act.forms) == 2 and not ProcessedSubmission.objects.exists()
