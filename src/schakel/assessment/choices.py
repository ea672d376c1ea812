"""The fixed choices of the self-assessment."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

LEVELS = (0, 1, 2, 3)
TOP_LEVEL = 3


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class Tier(models.TextChoices):
    """The study's S/P: a condition about how the approach is built, or how it runs."""

    STRUCTURE = "structure", _("Structure")
    PROCESS = "process", _("Process")


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")
    DATE = "date", _("Date")


class GapGroup(models.TextChoices):
    """The two steps of the gap list (the study's ch. 5 and 6: first put in place, then embed)."""

    PUT_IN_PLACE = "put_in_place", _("Put in place")
    EMBED = "embed", _("Embed and evaluate")


class Direction(models.TextChoices):
    UP = "up", _("up")
    DOWN = "down", _("down")
    SAME = "same", _("the same")
    UNKNOWN = "unknown", _("cannot be compared")


FACT_KEYS = (
    "af_oov_active",
    "reporting_route",
    "meetings_held",
    "covenants_in_force",
    "feedback_on_time",
    "trainings_given",
)
