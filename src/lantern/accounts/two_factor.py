"""TOTP enrolment and verification (django-otp), with failures counted toward lockout (django-axes).

Wrong codes are counted apart from wrong passwords: django-axes resets a person's password failures when the
password is right, which would let someone who knows the password guess codes for ever. Code failures are
kept under their own lockout name (`lockout_username`, django-axes' ``AXES_USERNAME_CALLABLE``), reset only by
a correct code. django-otp also slows guessing (1, 2, 4, … seconds after each wrong code): a code sent before
the wait is over is not checked, and the person is told how long to wait.
"""

from __future__ import annotations

import base64
import math
from typing import Any

import segno
from axes.utils import reset as axes_reset
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login

from lantern.accounts.models import EncryptedTOTPDevice

from .models import User


def confirmed_device(user: User) -> EncryptedTOTPDevice | None:
    return EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> EncryptedTOTPDevice:
    """The device being enrolled: one unconfirmed device per user, reused until confirmed."""
    device = EncryptedTOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or EncryptedTOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def secret_base32(device: EncryptedTOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_data_uri(device: EncryptedTOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The name django-axes counts failures under: the username, or its second-factor name for codes."""
    if credentials:
        return credentials.get("lockout_username") or credentials.get("username")
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return data.get("username")


def second_factor_credentials(user: User) -> dict[str, str]:
    """Credentials for django-axes and the audit trail: the person's username, counted as a code failure."""
    return {"username": user.username, "lockout_username": f"{user.username} (authentication code)"}


def seconds_to_wait(device: EncryptedTOTPDevice) -> int:
    """Seconds before django-otp checks another code for this device (0: it checks one now)."""
    allowed, info = device.verify_is_allowed()
    if allowed or not info or info.get("locked_until") is None:
        return 0
    return max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))


def verify(request: HttpRequest, user: User, device: EncryptedTOTPDevice, token: str) -> bool:
    """Check a code; on success mark the session verified and clear the code failures, on failure count it
    toward the second-factor lockout. Call `seconds_to_wait` first: a throttled check is no guess."""
    if device.verify_token(token):
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        axes_reset(username=second_factor_credentials(user)["lockout_username"])
        return True
    # django-axes listens to this signal (and the audit trail, which records the real username).
    user_login_failed.send(sender=__name__, credentials=second_factor_credentials(user), request=request)
    return False
