"""Test settings: SQLite by default, PostgreSQL when DATABASE_URL is set (make test runs both)."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")  # noqa: S105
os.environ.setdefault("LANTERN_VAR_DIR", tempfile.mkdtemp(prefix="lantern-test-var-"))
os.environ.setdefault(
    "DATABASE_URL", "sqlite:///" + os.path.join(os.environ["LANTERN_VAR_DIR"], "test.sqlite3")
)

from lantern.crypto.keyring import generate_keyring_json  # noqa: E402

os.environ.setdefault("LANTERN_KEYRING", generate_keyring_json())

from .base import *  # noqa: E402,F403
from .base import INSTALLED_APPS  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; production uses Argon2
INSTALLED_APPS = [*INSTALLED_APPS, "lantern.demo", "lantern.testapp"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
AXES_FAILURE_LIMIT = 5
ROOT_URLCONF = "lantern.testapp.root_urls"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
