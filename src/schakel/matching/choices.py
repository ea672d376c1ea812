from django.db import models
from django.utils.translation import gettext_lazy as _


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong match")
    POSSIBLE = "possible", _("Possible match")


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
