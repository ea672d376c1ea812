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


# What a public reporter reads on the feedback page: plain words, nothing about the handling.
STATUS_FOR_REPORTER = {
    SignalStatus.NEW: _("Received. The reporting point has not picked up your report yet."),
    SignalStatus.IN_PROGRESS: _("The reporting point is looking into your report."),
    SignalStatus.ROUTED: _(
        "The reporting point has passed your report on to a partner who can act."
    ),
    SignalStatus.CLOSED: _("The reporting point has finished handling your report."),
}


class ReporterSector(models.TextChoices):
    """Who reports through the public form: a citizen or a secondary partner (DOMAIN.md §7)."""

    GENERAL_PUBLIC = "public", _("Member of the public")
    HOSPITALITY = "hospitality", _("Hotel or hospitality")
    SCHOOL = "school", _("School")
    CARE = "care", _("Care or health care")
    HOUSING = "housing", _("Housing corporation")
    OTHER = "other", _("Other organisation")


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
