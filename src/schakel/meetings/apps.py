from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "schakel.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # policies, menu entries, how its steps (and a signal's triage) read
        from . import events, forum, navigation, policies  # noqa: F401

        forum.connect()
