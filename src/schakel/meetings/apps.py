from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "schakel.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from . import forum, navigation, policies  # noqa: F401  (policies, menu entries)

        forum.connect()
