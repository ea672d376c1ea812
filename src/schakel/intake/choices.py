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


class Routing(models.TextChoices):
    """Where the AF sends a signal after enrichment (DOMAIN.md §3)."""

    CASE_MEETING = "case_meeting", _("Case meeting")
    PCT = "pct", _("Prostitution control team (illegal prostitution only)")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")


class CloseReason(models.TextChoices):
    NOT_TRAFFICKING = "not_trafficking", _("Not human trafficking")
    HANDED_OVER = "handed_over", _("Handled by the partner it was routed to")
    DUPLICATE = "duplicate", _("Duplicate of another signal")


class FirstJudgement(models.TextChoices):
    """The reporting partner's own first judgement (police and care entry points)."""

    ILLEGAL_PROSTITUTION_ONLY = "illegal_prostitution", _("Only illegal prostitution: for the PCT")
    SUSPECTED_TRAFFICKING = (
        "suspected_trafficking",
        _("Suspected trafficking: for the case meeting"),
    )
    CARE_ADVICE = "care_advice", _("Advice given to a care professional; no report to Veilig Thuis")
    REPORTED_TO_VEILIG_THUIS = "reported_vt", _("Reported to Veilig Thuis")


FIRST_JUDGEMENTS_BY_ENTRY_POINT: dict[str, tuple[str, ...]] = {
    EntryPoint.POLICE: (
        FirstJudgement.ILLEGAL_PROSTITUTION_ONLY,
        FirstJudgement.SUSPECTED_TRAFFICKING,
    ),
    EntryPoint.CARE: (
        FirstJudgement.CARE_ADVICE,
        FirstJudgement.REPORTED_TO_VEILIG_THUIS,
        FirstJudgement.SUSPECTED_TRAFFICKING,
    ),
}


class EnrichmentKind(models.TextChoices):
    NOTE = "note", _("Note")
    SOURCE_CONSULTED = "source", _("Source consulted")
    ADDRESS_FACTS = "address", _("Facts about the address")
    EARLIER_SANCTIONS = "sanctions", _("Earlier sanctions")
    PARTNER_CONSULTED = "consulted", _("Partner consulted (AVIM, zorgcoördinator)")


class LinkBasis(models.TextChoices):
    """Why two signals belong together."""

    SAME_ADDRESS = "same_address", _("Same address")
    SAME_PREMISES = "same_premises", _("Same premises or business")
    SAME_PERSONS = "same_persons", _("Same persons")
    OTHER = "other", _("Other reason")


class SignalEventKind(models.TextChoices):
    """What the timeline of a signal records; every entry says who, when and why."""

    REPORTED = "reported", _("Reported")
    PICKED_UP = "picked_up", _("Picked up")
    ENRICHED = "enriched", _("Enriched")
    INDICATORS_ADDED = "indicators_added", _("Indicators added by the reporting point")
    LINKED = "linked", _("Linked to another signal")
    ROUTED = "routed", _("Routed")
    TRIAGED = "triaged", _("Discussed in the case meeting")
    FEEDBACK_GIVEN = "feedback", _("Feedback given to the reporter")
    FEEDBACK_WITHHELD = "feedback_withheld", _("Feedback withheld")
    CLOSED = "closed", _("Closed")
    REMINDER = "reminder", _("Reminder sent")


class PersonRole(models.TextChoices):
    POSSIBLE_VICTIM = "victim", _("Possible victim")
    POSSIBLE_PERPETRATOR = "perpetrator", _("Possible perpetrator")
    OTHER = "other", _("Other person involved")


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    OTHER = "x", _("Other")
    UNKNOWN = "", _("Unknown")


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
