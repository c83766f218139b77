"""Settings for `make run` on a developer's or a single organisation's machine (embedded SQLite)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: E402,F403
from .base import INSTALLED_APPS, VAR_DIR, secret  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "lantern.demo"]  # `lantern demo`, `lantern seed` (never in production)


def _dev_secret_key() -> str:
    """A per-checkout secret under var/, created by `make run`; never committed."""
    path = VAR_DIR / "secret_key.txt"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    return "insecure-dev-key-run-make-run-to-create-var-secret_key"  # noqa: S105


SECRET_KEY = secret("DJANGO_SECRET_KEY") or _dev_secret_key()

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
