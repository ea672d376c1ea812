from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held, findings recorded")
    EVALUATED = "evaluated", _("Evaluated")


class InspectionKind(models.TextChoices):
    """Who inspects: the municipality alone, or with its partners (DOMAIN.md §2, §9, §10)."""

    BIT = "bit", _("BIT: multidisciplinary inspection with partners")
    ADMINISTRATIVE = (
        "administrative",
        _("Administrative inspection by the municipality (toezicht & handhaving)"),
    )
    LABOUR = "labour", _("Inspection with the labour inspectorate")


class NoticeKind(models.TextChoices):
    """Whom an inspection is announced to beforehand (DOMAIN.md §4)."""

    AVIM_INFORMED = "avim_informed", _("AVIM informed")
    ZC_STANDBY = "zc_standby", _("Zorgcoördinator asked to stand by")
