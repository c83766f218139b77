"""Settings for `make run` on a developer's or a single organisation's machine (embedded SQLite).

DEBUG is off, as in production: a mistyped address shows Lantern's 404 page, not Django's technical page with
every URL pattern. A developer turns it on explicitly: `DJANGO_DEBUG=true make run`.
"""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, VAR_DIR, secret

INSTALLED_APPS = [*INSTALLED_APPS, "lantern.demo"]  # `lantern demo`, `lantern seed` (never in production)


def _dev_secret_key() -> str:
    """A per-checkout secret under var/, created by `make run`; never committed."""
    path = VAR_DIR / "secret_key.txt"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    return "insecure-dev-key-run-make-run-to-create-var-secret_key"  # noqa: S105


SECRET_KEY = secret("DJANGO_SECRET_KEY") or _dev_secret_key()

# Static files: `make run` collects them (hashed names, as in production); with DJANGO_DEBUG=true they are
# served unhashed from the apps' static/ folders, so an edited file shows at once.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
