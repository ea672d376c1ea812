from django.db import models
from django.utils.translation import gettext_lazy as _


class ExploitationFormCode(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    CRIMINAL = "criminal", _("Criminal exploitation")
    ORGAN_REMOVAL = "organ_removal", _("Forced organ removal")
    UNKNOWN = "unknown", _("Unknown")
