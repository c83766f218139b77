from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "lantern.insights"
    label = "insights"
    verbose_name = _("Dashboards and statistics")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (a case's changes rebuild its statistics fact row)
