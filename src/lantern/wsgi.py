"""WSGI entry point (gunicorn). Refuses to start without the encryption keyring."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings.production")
application = get_wsgi_application()

from lantern.web.startup import ensure_keyring_or_exit  # noqa: E402

ensure_keyring_or_exit()
