"""The training pages through the web: the module list, a module, the quiz flow and its bad input."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.training import content
from lantern.training.models import Certificate, QuizAttempt

pytestmark = pytest.mark.django_db
MODULE = "signs-at-reception"


def start(client: Any) -> QuizAttempt:
    response = client.post(f"/training/modules/{MODULE}/quiz/")
    assert response.status_code == 302
    return QuizAttempt.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def form_data(attempt: QuizAttempt, *, right: bool = True) -> dict[str, Any]:
    bank = content.questions(attempt.module_id)
    data: dict[str, Any] = {"module": attempt.module_id}
    for qid in attempt.question_ids:
        q = bank[qid]
        wrong = [next(o.id for o in q.options if not o.correct)]
        data[f"q_{qid}"] = sorted(q.correct_ids) if right else wrong
    return data


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_sees_the_modules(personas: Any, login_client: Any, role: str) -> None:
    client = login_client(personas.own[role])
    index = client.get("/training/")
    assert index.status_code == 200
    for module_id in content.module_ids():
        assert f"/training/modules/{module_id}/".encode() in index.content
    module = client.get(f"/training/modules/{MODULE}/")
    assert module.status_code == 200 and b"first-signs checklist" in module.content


def test_anonymous_users_are_sent_to_sign_in(client: Any) -> None:
    assert client.get("/training/").status_code == 302


def test_a_module_not_translated_says_so(personas: Any, login_client: Any) -> None:
    client = login_client(personas.own[Role.SCREENER])
    response = client.get(f"/training/modules/{MODULE}/", headers={"accept-language": "fr"})
    text = response.content.decode()
    assert '<html lang="fr"' in text
    assert '<article class="training-module" lang="en" dir="ltr">' in text
    assert "notification-warning" in text


def test_quiz_pass_shows_explanations_and_the_certificate_link(personas: Any, login_client: Any) -> None:
    client = login_client(personas.own[Role.SCREENER])
    attempt = start(client)
    page = client.get(f"/training/attempts/{attempt.pk}/")
    assert page.status_code == 200 and b"Send my answers" in page.content
    response = client.post(f"/training/attempts/{attempt.pk}/", form_data(attempt), follow=True)
    text = response.content.decode()
    assert "You passed with 100%" in text
    certificate = Certificate.objects.get(attempt=attempt)
    assert f"/training/certificates/{certificate.pk}/pdf/" in text
    bank = content.questions(MODULE)
    assert bank[attempt.question_ids[0]].explanation.split(".")[0] in text.replace("&#x27;", "'")


def test_unanswered_quiz_shows_errors_and_stores_nothing(personas: Any, login_client: Any) -> None:
    client = login_client(personas.own[Role.SCREENER])
    attempt = start(client)
    response = client.post(f"/training/attempts/{attempt.pk}/", {"module": MODULE})
    assert b"There is a problem" in response.content
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_replayed_quiz_submission_is_refused_with_a_message(personas: Any, login_client: Any) -> None:
    client = login_client(personas.own[Role.SCREENER])
    attempt = start(client)
    client.post(f"/training/attempts/{attempt.pk}/", form_data(attempt, right=False))
    response = client.post(f"/training/attempts/{attempt.pk}/", form_data(attempt), follow=True)
    assert "already submitted" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.passed is False
    assert not Certificate.objects.exists()


def test_answers_for_another_module_or_other_questions_are_refused(personas: Any, login_client: Any) -> None:
    client = login_client(personas.own[Role.SCREENER])
    attempt = start(client)
    other_module = {**form_data(attempt), "module": "children"}
    response = client.post(f"/training/attempts/{attempt.pk}/", other_module, follow=True)
    assert "another module" in response.content.decode()
    extra = {**form_data(attempt), "q_ch-means": ["a"]}
    response = client.post(f"/training/attempts/{attempt.pk}/", extra, follow=True)
    assert "do not match the questions" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not Certificate.objects.exists()


def test_another_persons_attempt_is_404(personas: Any, login_client: Any) -> None:
    attempt = start(login_client(personas.own[Role.SCREENER]))
    other = login_client(personas.own[Role.CASE_WORKER])
    assert other.get(f"/training/attempts/{attempt.pk}/").status_code == 404
    assert other.post(f"/training/attempts/{attempt.pk}/", form_data(attempt)).status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_unknown_module_is_404(personas: Any, login_client: Any) -> None:
    client = login_client(personas.own[Role.SCREENER])
    assert client.get("/training/modules/no-such-module/").status_code == 404
    assert client.post("/training/modules/no-such-module/quiz/").status_code == 404
    assert not QuizAttempt.objects.exists()
