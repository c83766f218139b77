"""TOTP enrolment and verification (django-otp), with failures counted toward lockout (django-axes)."""

from __future__ import annotations

import base64

import segno
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The device being enrolled: one unconfirmed device per user, reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def verify(request: HttpRequest, user: User, device: TOTPDevice, token: str) -> bool:
    """Check a code; on success mark the session verified, on failure count it toward lockout."""
    if device.verify_token(token):
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return True
    # django-axes listens to this signal: a wrong code counts like a wrong password.
    user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
    return False
