from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "lantern.records"
    label = "records"
    verbose_name = _("Documents, exports and retention")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (closing a case schedules its erasure)
