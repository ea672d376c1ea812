from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Composition: the privacy officer's screens for requests of persons concerned (AVG art. 15
    and 16), over the signals' and the cases' own subject-access functions."""

    name = "schakel.privacy"
    verbose_name = _("Requests of persons concerned")

    def ready(self) -> None:
        from . import navigation  # noqa: F401  (registers the menu entry)
