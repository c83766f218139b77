from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "lantern.legal"
    label = "legal"
    verbose_name = _("Legal track")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (registers the dashboard panel)
