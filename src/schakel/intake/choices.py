from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryPoint(models.TextChoices):
    """Where a signal entered the reporting route (DOMAIN.md §3)."""

    MUNICIPALITY = "municipality", _("Municipality (own staff)")
    POLICE = "police", _("Police / AVIM")
    CARE = "care", _("Zorgcoördinator / Veilig Thuis")
    INSPECTORATE = "inspectorate", _("Labour inspectorate")
    PARTNER = "partner", _("Secondary partner")
    PUBLIC = "public", _("Citizen")


class SignalStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("Being enriched")
    ROUTED = "routed", _("Routed")
    CLOSED = "closed", _("Closed")


ENTRY_POINT_BY_ROLE: dict[str, EntryPoint] = {
    "af_oov": EntryPoint.MUNICIPALITY,
    "af_zorg": EntryPoint.MUNICIPALITY,
    "af_swt": EntryPoint.MUNICIPALITY,
    "toezicht_handhaving": EntryPoint.MUNICIPALITY,
    "municipal_reporter": EntryPoint.MUNICIPALITY,
    "avim": EntryPoint.POLICE,
    "basisteam": EntryPoint.POLICE,
    "zorgcoordinator": EntryPoint.CARE,
    "veilig_thuis": EntryPoint.CARE,
    "iszw": EntryPoint.INSPECTORATE,
    "partner_reporter": EntryPoint.PARTNER,
}
