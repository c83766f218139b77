"""Signing in: password, then TOTP for roles that see personal data; lockout; inactivity timeout."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from lantern.accounts.middleware import SESSION_KEY
from lantern.accounts.models import EncryptedTOTPDevice
from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import TEST_PASSWORD
from lantern.audit.models import AuditRecord

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")
HOME = reverse("web:home")


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def current_code(device: EncryptedTOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_wrong_password_gives_a_clear_message_and_is_counted(client: Client, personas: Any) -> None:
    response = sign_in(client, "own_screener", "wrong password")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert AuditRecord.objects.filter(action="login_failed", actor_label="own_screener").count() == 1


def test_account_is_locked_after_repeated_failures(client: Client, personas: Any, settings: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "own_case_worker", "wrong password")
    response = sign_in(client, "own_case_worker")  # even the right password is refused now
    assert response.status_code == 429  # Too Many Requests (django-axes' lockout answer)
    assert "locked" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_personal_data_roles_must_pass_two_factor(client: Client, personas: Any) -> None:
    response = sign_in(client, "own_screener")
    assert response.status_code == 302 and response["Location"] == TWO_FACTOR
    # Signed in with a password only: every protected page sends them back to the code step.
    assert client.get(HOME)["Location"] == TWO_FACTOR
    page = client.get(TWO_FACTOR).content.decode()
    assert "Set up two-factor sign-in" in page and "data-totp-secret" in page
    device = EncryptedTOTPDevice.objects.get(user=personas.own[Role.SCREENER])
    response = client.post(TWO_FACTOR, {"otp_token": current_code(device)})
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_statistics_viewer_needs_no_second_factor(client: Client, personas: Any) -> None:
    response = sign_in(client, "own_statistics_viewer")
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("role", sorted(r.value for r in Role if r != Role.STATISTICS_VIEWER))
def test_every_personal_data_role_is_sent_to_two_factor(client: Client, personas: Any, role: str) -> None:
    assert sign_in(client, f"own_{role}")["Location"] == TWO_FACTOR


def test_wrong_code_is_refused_with_a_message_and_counts_toward_lockout(
    client: Client, personas: Any, settings: Any
) -> None:
    user = personas.own[Role.LAWYER]
    EncryptedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in(client, user.username)
    response = client.post(TWO_FACTOR, {"otp_token": "000000"})
    assert "The code is not correct" in response.content.decode()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        EncryptedTOTPDevice.objects.get(user=user).throttle_reset()  # as if django-otp's wait were over
        response = client.post(TWO_FACTOR, {"otp_token": "000000"})
        if response.status_code == 429:
            break
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_malformed_code_is_explained(client: Client, personas: Any) -> None:
    sign_in(client, "own_lawyer")
    response = client.post(TWO_FACTOR, {"otp_token": "12ab"})
    assert "Enter the 6-digit code" in response.content.decode()


def test_inactive_users_are_signed_out(client: Client, personas: Any, settings: Any) -> None:
    user = personas.own[Role.CASE_WORKER]
    from lantern.conftest import verify_session

    client.force_login(user)
    verify_session(client, user)
    assert client.get(HOME).status_code == 200
    session = client.session
    session[SESSION_KEY] = time.time() - settings.LANTERN_INACTIVITY_MINUTES_PERSONAL * 60 - 5
    session.save()
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_default_timeout_for_personal_data_roles_is_fifteen_minutes(settings: Any) -> None:
    assert settings.LANTERN_INACTIVITY_MINUTES_PERSONAL == 15


def test_sign_out_is_recorded(login_client: Any, personas: Any) -> None:
    client = login_client(personas.own[Role.SCREENER])
    client.post(reverse("accounts:logout"))
    assert AuditRecord.objects.filter(action="logout", actor_label="own_screener").exists()
    assert client.get(HOME).status_code == 302


def test_tampered_csrf_token_is_refused_and_nothing_is_written(login_client: Any, personas: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    admin = personas.own[Role.ORG_ADMIN]
    client.force_login(admin)
    from lantern.conftest import verify_session

    verify_session(client, admin)
    before = admin.__class__.objects.count()
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "intruder",
            "email": "i@example.invalid",
            "password": "a-long-enough-pass",
            "csrfmiddlewaretoken": "x" * 64,
        },
    )
    assert response.status_code == 403
    assert admin.__class__.objects.count() == before


def test_tampered_session_cookie_is_refused(client: Client, personas: Any) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    page = csrf_client.get(LOGIN)
    token = page.context["csrf_token"]
    csrf_client.cookies["sessionid"] = "forged" + csrf_client.cookies["sessionid"].value[6:]
    response = csrf_client.post(
        LOGIN, {"username": "own_screener", "password": TEST_PASSWORD, "csrfmiddlewaretoken": str(token)}
    )
    assert response.status_code == 403
    assert not AuditRecord.objects.filter(action="login").exists()
