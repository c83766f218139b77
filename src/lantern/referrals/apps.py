from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "lantern.referrals"
    label = "referrals"
    verbose_name = _("Referrals and support plans")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (dashboard panel)
