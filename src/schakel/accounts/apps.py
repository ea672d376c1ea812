from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "schakel.accounts"
    verbose_name = _("Accounts and logging in")

    def ready(self) -> None:
        from . import navigation, policies  # noqa: F401  (registers policies and menu entries)
