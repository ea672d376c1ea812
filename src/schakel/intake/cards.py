"""Which signal card guides which reporter (the cards themselves are the catalogue's)."""

from __future__ import annotations

from schakel.catalogue.cards import SignalCard, card_for
from schakel.organisations.choices import OrganisationKind, Role
from schakel.organisations.models import Membership

from .choices import ReporterSector

# Which signal card guides which reporter; another card can be chosen on the form.
CARD_BY_ROLE: dict[str, str] = {
    Role.MUNICIPAL_REPORTER: "brp",
    Role.TOEZICHT_HANDHAVING: "inspection",
    Role.AVIM: "inspection",
    Role.BASISTEAM: "inspection",
    Role.ISZW: "inspection",
    Role.ZORGCOORDINATOR: "care",
    Role.VEILIG_THUIS: "care",
    Role.AF_ZORG: "care",
    Role.AF_SWT: "care",
}
CARD_BY_PARTNER_KIND: dict[str, str] = {
    OrganisationKind.HOTEL: "hospitality",
    OrganisationKind.SCHOOL: "school",
    OrganisationKind.HOUSING: "housing",
    OrganisationKind.HEALTHCARE: "care",
    OrganisationKind.CARE_PROVIDER: "care",
}


def card_code_for(membership: Membership) -> str:
    if membership.role == Role.PARTNER_REPORTER:
        return CARD_BY_PARTNER_KIND.get(membership.organisation.kind, "public")
    return CARD_BY_ROLE.get(membership.role, "public")


CARD_FOR_REPORTER_SECTOR: dict[str, str] = {
    ReporterSector.GENERAL_PUBLIC: "public",
    ReporterSector.HOSPITALITY: "hospitality",
    ReporterSector.SCHOOL: "school",
    ReporterSector.CARE: "care",
    ReporterSector.HOUSING: "housing",
    ReporterSector.OTHER: "public",
}


def card_for_reporter_sector(value: str) -> SignalCard:
    """The card for a public reporter's sector; the general card otherwise."""
    return card_for(CARD_FOR_REPORTER_SECTOR.get(value, "public"))
