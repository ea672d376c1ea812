from django.db import models
from django.utils.translation import gettext_lazy as _


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong match")
    POSSIBLE = "possible", _("Possible match")


class HitBasis(models.TextChoices):
    """What carried a hit (scoring.basis), said beside its strength on the result."""

    IDENTICAL = "identical", _("Both names and the full date of birth are the same.")
    NAMES_AND_DATE = (
        "names_date",
        _("The names agree and the date of birth is the same or differs by a typing error."),
    )
    NAMES_AND_YEAR = (
        "names_year",
        _("The names agree and are rare; of the date of birth only the year could be compared."),
    )
    RARE_NAME = (
        "rare_name",
        _("The names agree and are rare; there was no date of birth to compare."),
    )
    ATTRIBUTES = "attributes", _("The names and other details (number or address) agree.")
    HOUSEHOLD = "household", _("The same address.")


class HitStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed: could be the same person")
    DISMISSED = "dismissed", _("Dismissed: not the same person")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTACT_MADE = "contact_made", _("Contact made")
    COORDINATED = "coordinated", _("Coordinated")


class TaskSide(models.TextChoices):
    SEEKER = "seeker", _("We looked up")
    HOLDER = "holder", _("Our registration was found")
