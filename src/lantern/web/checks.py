"""System checks for Lantern's own dangers: a missing keyring stops everything, loudly."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def keyring_present(app_configs: Any, **kwargs: Any) -> list[Error]:
    from lantern.crypto.keyring import KeyringError, load_keyring

    try:
        load_keyring(settings.LANTERN_KEYRING, settings.LANTERN_KEYRING_FILE)
    except KeyringError as exc:
        return [Error(str(exc), hint="Run `make run` for a demo keyring.", id="lantern.E001")]
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
