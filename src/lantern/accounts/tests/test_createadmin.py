"""`lantern createadmin`: the first organisation and system administrator of a new installation, who can then
sign in with the printed password and authenticator secret; `createsuperuser` points to it."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from lantern.accounts.models import Organisation, User
from lantern.accounts.roles import Role
from lantern.cli import main as lantern_main

pytestmark = pytest.mark.django_db


def createadmin(*args: str) -> str:
    out = io.StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


def printed(name: str, output: str) -> str:
    match = re.search(rf"^\s*{name}:\s+(\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def code_for(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_createadmin_makes_the_first_organisation_and_system_administrator() -> None:
    output = createadmin("--email", "it@ngo.example", "--organisation", "Safe Harbour NGO")
    user = User.objects.get(username="admin")
    assert user.organisation.name == "Safe Harbour NGO"
    assert user.roles == {Role.SYSTEM_ADMIN, Role.ORG_ADMIN}
    assert user.check_password(printed("password", output))
    assert printed("TOTP URI", output).startswith("otpauth://totp/")


def test_the_first_administrator_signs_in_with_the_printed_password_and_secret(client: Client) -> None:
    output = createadmin("--email", "it@ngo.example", "--username", "first")
    response = client.post(
        reverse("accounts:login"), {"username": "first", "password": printed("password", output)}
    )
    assert response["Location"] == reverse("accounts:two_factor")
    response = client.post(
        reverse("accounts:two_factor"), {"otp_token": code_for(printed("TOTP secret", output))}
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_createadmin_run_again_creates_nothing_and_shows_no_secret() -> None:
    createadmin("--email", "it@ngo.example")
    again = createadmin("--email", "someone@else.example", "--username", "second")
    assert "exists already" in again and "password" not in again
    assert User.objects.count() == 1 and Organisation.objects.count() == 1


def test_createsuperuser_points_to_createadmin(capsys: pytest.CaptureFixture[str]) -> None:
    assert lantern_main(["createsuperuser"]) == 2
    assert "lantern createadmin" in capsys.readouterr().err
    assert not User.objects.exists()
