"""Refuse to serve without the encryption keyring: called from the WSGI/ASGI entry points and runserver."""

import sys

from django.conf import settings


def ensure_keyring_or_exit() -> None:
    from lantern.crypto.keyring import KeyringError, load_keyring

    try:
        load_keyring(settings.LANTERN_KEYRING, settings.LANTERN_KEYRING_FILE)
    except KeyringError as exc:
        sys.stderr.write(f"\nLantern cannot start: {exc}\n\n")
        raise SystemExit(78) from None  # EX_CONFIG
