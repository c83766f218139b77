from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "lantern.web"
    verbose_name = _("Site shell")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers Lantern's system checks)
