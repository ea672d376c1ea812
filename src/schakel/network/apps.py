from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "schakel.network"
    verbose_name = _("Partner network")

    def ready(self) -> None:
        # registers the policies and the menu
        from . import navigation, policies  # noqa: F401
