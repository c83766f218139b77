"""Production settings: behind a TLS-terminating reverse proxy; every secret from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, SECRET_KEY, SILENCED_SYSTEM_CHECKS, env

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be false in production settings.")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set to at least 50 random characters."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("LANTERN_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("LANTERN_HSTS_SECONDS", default=31536000)
# Off by default: every subdomain of an NGO's parent domain may not serve HTTPS yet, and a preload list entry
# is hard to undo. Turn them on when the whole domain is ready.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("LANTERN_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("LANTERN_HSTS_PRELOAD", default=False)
# Django warns when they are off; that is a decision taken above, not an oversight.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W005", "security.W021"]
# Secure cookies always, except for a local benchmark over plain HTTP on loopback.
SECURE_COOKIES = env.bool("LANTERN_SECURE_COOKIES", default=True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
