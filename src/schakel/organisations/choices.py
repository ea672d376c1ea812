"""The actors of the local approach (DOMAIN.md §2). Terms of art keep their Dutch names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality (department)")
    POLICE = "police", _("Police")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate (ISZW)")
    PROSECUTION = "prosecution", _("Public prosecution service (OM)")
    TAX_AUTHORITY = "tax_authority", _("Tax authority (Belastingdienst)")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    CARE_COORDINATION = "care_coordination", _("Care coordination for trafficking victims")
    CARE_PROVIDER = "care_provider", _("Care or shelter provider")
    RIEC = "riec", _("RIEC")
    ZVH = "zvh", _("Zorg- en Veiligheidshuis")
    NATIONAL_CENTRE = "national_centre", _("National coordination centre (CoMensha)")
    HOTEL = "hotel", _("Hotel or holiday park")
    SCHOOL = "school", _("School")
    HOUSING = "housing", _("Housing corporation")
    HEALTHCARE = "healthcare", _("General practice or hospital")
    OTHER_SIGNALLER = "other_signaller", _("Other signalling partner")


class SubNetwork(models.TextChoices):
    PERPETRATOR = "perpetrator", _("Perpetrator approach")
    VICTIM_CARE = "victim_care", _("Care, help and shelter")
    AWARENESS = "awareness", _("Awareness and training")
    SIGNALLERS = "signallers", _("Important signallers")
    ADVICE = "advice", _("Advice")
    DIRECTION = "direction", _("Direction")


class Ring(models.TextChoices):
    """First ring: the operational core that may share personal data under a covenant."""

    FIRST = "first", _("First ring (operational core)")
    SECOND = "second", _("Second ring (at a distance)")


class MeetingType(models.TextChoices):
    """Meeting types a covenant can cover (DOMAIN.md §4)."""

    CASE_MEETING = "case_meeting", _("(Preparatory) case meeting (VCO)")
    RIEC_MEETING = "riec_meeting", _("RIEC meeting")
    LOCAL_STRUCTURAL = "local_structural", _("Structural local meeting")
    REGIONAL_AF = "regional_af", _("Regional meeting of aandachtsfunctionarissen")
    INSPECTION_BRIEFING = "inspection_briefing", _("Inspection briefing")
    EXPERT_GROUP = "expert_group", _("Expert group")
    PARTNER_MEETING = "partner_meeting", _("Partner meeting")
    REGIONAL_TABLE = "regional_table", _("Regional table")


class Role(models.TextChoices):
    AF_OOV = "af_oov", _("Aandachtsfunctionaris OOV")
    AF_ZORG = "af_zorg", _("Aandachtsfunctionaris Zorg")
    AF_SWT = "af_swt", _("Aandachtsfunctionaris social neighbourhood teams")
    ZORGCOORDINATOR = "zorgcoordinator", _("Zorgcoördinator")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    AVIM = "avim", _("AVIM (police)")
    BASISTEAM = "basisteam", _("Basisteam (police)")
    ISZW = "iszw", _("Labour inspectorate (ISZW)")
    OVJ = "ovj", _("Public prosecutor (OvJ)")
    BELASTINGDIENST = "belastingdienst", _("Belastingdienst")
    TOEZICHT_HANDHAVING = "toezicht_handhaving", _("Toezicht & handhaving")
    MUNICIPAL_REPORTER = "municipal_reporter", _("Municipal employee (reporter)")
    PARTNER_REPORTER = "partner_reporter", _("Secondary partner (reporter)")
    BOARD_VIEWER = "board_viewer", _("Policy or board viewer")
    # The regional adviser / ketenregisseur: region-wide figures, never case data (DOMAIN.md §2).
    REGIONAL_ADVISER = "regional_adviser", _("Regional adviser (ketenregisseur)")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
