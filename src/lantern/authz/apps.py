from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuthzConfig(AppConfig):
    name = "lantern.authz"
    verbose_name = "Authorisation gate"

    def ready(self) -> None:
        autodiscover_modules("policies")
