"""Choices of the partner network: the place in the reporting route, the audience and sector of a
training, and the domains of the care map (DOMAIN.md §3, §9, §10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoutePlace(models.TextChoices):
    """Where an organisation stands in the reporting route (DOMAIN.md §3, Figuur 4)."""

    REPORTS_TO_MUNICIPALITY = (
        "reports_to_municipality",
        _("Reports signals to the municipality's reporting point"),
    )
    RECEIVES = "receives", _("Receives routed signals")
    REPORTS_TO_POLICE = "reports_to_police", _("Reports to the police directly")
    ADVISES = "advises", _("Advises only")
    NONE = "none", _("No place in the reporting route")


class Audience(models.TextChoices):
    MUNICIPAL_STAFF = "municipal_staff", _("Municipal staff")
    PROFESSIONALS = "professionals", _("Professionals")
    SECTOR_STAFF = "sector_staff", _("Sector staff (hotels, hospitality, …)")
    VOLUNTEERS = "volunteers", _("Volunteers")
    PUBLIC = "public", _("The public")


class TrainingSector(models.TextChoices):
    """The sector a training was for. Where a sector has a signal card the code is the card's
    (catalogue/cards.py CARD_SECTORS), so a training can point to the card it hands out."""

    MUNICIPALITY = "brp", _("Municipality (front desk, BRP)")
    INSPECTION = "inspection", _("Enforcement and inspections")
    HOSPITALITY = "hospitality", _("Hotels, holiday parks and hospitality")
    CARE = "care", _("Care and health care")
    SCHOOL = "school", _("Schools")
    HOUSING = "housing", _("Housing corporations")
    PUBLIC = "public", _("The public")
    OTHER = "other", _("Other")


class CareDomain(models.TextChoices):
    """The domains of (after)care for victims (DOMAIN.md §9, care for victims)."""

    SHELTER = "shelter", _("Shelter and safety")
    MEDICAL = "medical", _("Medical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    ECONOMIC = "economic", _("Economic")
    LEGAL = "legal", _("Legal")
    REPORTING = "reporting", _("Help with reporting")
    RESILIENCE = "resilience", _("Resilience and aftercare")


class AgeGroup(models.TextChoices):
    ADULT = "adult", _("Adults")
    MINOR = "minor", _("Minors")


class Origin(models.TextChoices):
    DUTCH = "dutch", _("Dutch nationals")
    EU = "eu", _("EU nationals")
    NON_EU = "non_eu", _("Non-EU nationals")
