from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistConfig(AppConfig):
    """Composition: 'Mijn acties', what waits for the user in every app."""

    name = "schakel.worklist"
    verbose_name = _("My actions")

    def ready(self) -> None:
        from . import navigation  # noqa: F401  (registers the menu entry)
