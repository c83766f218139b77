"""System checks for Lantern's own dangers: a missing keyring stops everything, loudly."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def keyring_present(app_configs: Any, **kwargs: Any) -> list[Error]:
    from lantern.crypto.keyring import KeyringError, load_keyring

    try:
        keyring = load_keyring(settings.LANTERN_KEYRING, settings.LANTERN_KEYRING_FILE)
    except KeyringError as exc:
        return [Error(str(exc), hint="Run `make run` for a demo keyring.", id="lantern.E001")]
    if not keyring.audit_keys:
        return [
            Error(
                "The keyring has no audit key: the audit trail (keyed with HMAC-SHA-256) cannot be sealed.",
                hint="Run `python -m lantern.crypto.keyring create PATH` on the keyring file: it adds an "
                "audit key and keeps every existing key (`make run` does it for the demo).",
                id="lantern.E003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def secret_key_present(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.SECRET_KEY or settings.SECRET_KEY.startswith("insecure-"):
        return [
            Error(
                "DJANGO_SECRET_KEY is not set.",
                hint="Set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE.",
                id="lantern.E002",
            )
        ]
    return []
