from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "schakel.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the key checks)
        from .middleware import stamp_session_at_login

        user_logged_in.connect(stamp_session_at_login, dispatch_uid="schakel.session_activity")
