"""Lower findings of the security review on sign-in: TOTP secrets in clear, wrong codes forgiven by a correct
password, a misleading message during django-otp's wait, and usernames with invisible control characters."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import ApiToken, EncryptedTOTPDevice, User
from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")
RIGHT_TO_LEFT_OVERRIDE = "\u202e"


def code(device: Any) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def raw_key(device: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_encryptedtotpdevice WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


def test_a_totp_secret_is_encrypted_at_rest_and_still_verifies(personas: Any) -> None:
    device = EncryptedTOTPDevice.objects.create(user=personas.own[Role.LAWYER], name="phone", confirmed=True)
    stored = raw_key(device)
    assert stored.startswith("lc1:") and device.key not in stored
    assert EncryptedTOTPDevice.objects.get(pk=device.pk).verify_token(code(device))


def test_the_migration_moves_clear_secrets_to_the_encrypted_table(personas: Any) -> None:
    user = personas.own[Role.LAWYER]
    plain = TOTPDevice.objects.create(user=user, name="old phone", confirmed=True)
    migration = importlib.import_module("lantern.accounts.migrations.0003_encrypted_totp_devices")
    migration.encrypt_totp_keys(apps, None)
    assert not TOTPDevice.objects.exists()
    moved = EncryptedTOTPDevice.objects.get(user=user)
    assert moved.key == plain.key and raw_key(moved).startswith("lc1:")
    assert moved.confirmed and moved.verify_token(code(plain))


def test_wrong_codes_lock_out_although_the_password_is_right_each_time(
    client: Client, personas: Any, settings: Any
) -> None:
    user = personas.own[Role.LAWYER]
    device = EncryptedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
        device.throttle_reset()  # as if django-otp's wait were over: only the lockout counts
        client.post(TWO_FACTOR, {"otp_token": "000000"})
    client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    device.throttle_reset()
    response = client.post(TWO_FACTOR, {"otp_token": code(device)})
    assert response.status_code == 429
    assert "otp_device_id" not in client.session


def test_a_correct_code_during_the_wait_is_refused_with_the_time_to_wait(
    client: Client, personas: Any
) -> None:
    user = personas.own[Role.LAWYER]
    device = EncryptedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    client.post(TWO_FACTOR, {"otp_token": "000000"})
    response = client.post(TWO_FACTOR, {"otp_token": code(device)})
    body = response.content.decode()
    assert response.status_code == 200 and "wait 1 second before you enter the next code" in body
    assert "not correct or has expired" not in body
    device.throttle_reset()
    assert client.post(TWO_FACTOR, {"otp_token": code(device)}).status_code == 302


@pytest.mark.parametrize("character", [RIGHT_TO_LEFT_OVERRIDE, "\u200b", "\x07", "\n"])
def test_a_username_with_a_control_or_format_character_is_refused_on_the_web(
    login_client: Any, personas: Any, character: str
) -> None:
    response = login_client(personas.own[Role.ORG_ADMIN]).post(
        reverse("accounts:user_create"),
        {
            "username": f"nimda{character}admin",
            "email": "x@example.invalid",
            "organisation": personas.own_org.pk,
            "password": "a long new password 7",
        },
    )
    assert response.status_code == 200 and not User.objects.filter(email="x@example.invalid").exists()


def test_a_username_with_the_right_to_left_override_is_refused_by_the_api(
    client: Client, personas: Any
) -> None:
    _token, raw = ApiToken.issue(personas.own[Role.ORG_ADMIN], "test")
    response = client.post(
        "/api/v1/users/",
        {
            "username": f"nimda{RIGHT_TO_LEFT_OVERRIDE}admin",
            "email": "x@example.invalid",
            "password": "a long new password 7",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400 and "username" in response.json()
    assert not User.objects.filter(email="x@example.invalid").exists()


def test_an_administrator_resets_a_lost_authenticator_audited_and_the_person_enrols_again(
    client: Client, login_client: Any, personas: Any
) -> None:
    from lantern.audit.models import AuditRecord

    person = personas.own[Role.CASE_WORKER]
    EncryptedTOTPDevice.objects.create(user=person, name="lost phone", confirmed=True)
    admin = login_client(personas.own[Role.ORG_ADMIN])
    url = reverse("accounts:reset_second_factor", args=[person.pk])
    assert admin.post(url, {"reason": ""}).status_code == 302
    assert EncryptedTOTPDevice.objects.filter(user=person).exists()  # no reason, nothing done
    assert admin.post(url, {"reason": "Phone lost; identity checked in person"}).status_code == 302
    assert not EncryptedTOTPDevice.objects.filter(user=person).exists()
    entry = AuditRecord.objects.get(fields=["second_factor"], object_id=str(person.pk))
    assert entry.detail == {"second_factor_reset": 1, "reason": "Phone lost; identity checked in person"}
    client.logout()
    client.post(LOGIN, {"username": person.username, "password": TEST_PASSWORD})
    assert "Set up two-factor sign-in" in client.get(TWO_FACTOR).content.decode()


def test_nobody_resets_their_own_or_another_organisations_authenticator(
    login_client: Any, personas: Any
) -> None:
    admin = personas.own[Role.ORG_ADMIN]
    outsider = personas.other[Role.CASE_WORKER]
    for person in (admin, outsider):
        EncryptedTOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    client = login_client(admin)
    reason = {"reason": "test"}
    assert client.post(reverse("accounts:reset_second_factor", args=[admin.pk]), reason).status_code == 403
    assert client.post(reverse("accounts:reset_second_factor", args=[outsider.pk]), reason).status_code == 404
    assert EncryptedTOTPDevice.objects.filter(user__in=[admin, outsider]).count() == 2
