"""The hit/no-hit registry: who is involved with a person, kept without the person's identity.

No column holds a name or a date: only keyed blocking keys (InvolvementKey) and a sealed blob of
Bloom filters and keyed digests (see encoding.py and docs/matching.md).
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.organisations.models import Organisation

from .choices import HitBasis, HitStatus, Strength, TaskSide, TaskStatus


def expiry_days() -> int:
    days: int = getattr(settings, "SCHAKEL_MATCHING_EXPIRY_DAYS", 730)
    return days


def default_expiry() -> datetime:
    return timezone.now() + timedelta(days=expiry_days())


class Involvement(models.Model):
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="involvements", verbose_name=_("organisation")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    contact_person = models.CharField(_("contact person"), max_length=200)
    reference = models.CharField(
        _("own reference"),
        max_length=50,
        blank=True,
        help_text=_("Your own file number, so you know whom a hit is about. Never a name."),
    )
    sealed = models.BinaryField(_("sealed encoding"), editable=False)
    address_key = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    # Indexed: the lookup index (index.LiveIndex) catches up on what was created or ended since.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    expires_at = models.DateTimeField(_("expires at"), default=default_expiry, db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # Registered automatically for a participant of a case that sees this person by name; goes
    # when the person is removed from the case (retention).
    case_person = models.ForeignKey(
        "cases.CasePerson", models.CASCADE, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()


class InvolvementKey(models.Model):
    """One keyed blocking key of an involvement (padded with random keys to a fixed count).
    Read only to build the lookup index (index.LiveIndex), by involvement, so the key itself is
    not indexed: on PostgreSQL its two indexes took 380 of 860 MB at 100,000 registrations."""

    involvement = models.ForeignKey(Involvement, models.CASCADE, related_name="keys")
    key = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"key of involvement #{self.involvement_id}"


class Lookup(models.Model):
    """That a lookup happened, by whom, and its outcome; never what was looked up."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    hit = models.BooleanField(default=False)
    # The name looked up was too common to hit without a full date of birth, and the lookup had
    # none (scoring.needs_full_date): the result says so. Not what was looked up.
    needs_full_date = models.BooleanField(default=False, editable=False)
    # The asker's own file number ("which of my persons was this"); never a name.
    reference = models.CharField(_("own reference"), max_length=50, blank=True)

    def __str__(self) -> str:
        return f"lookup {self.token}"


class Hit(models.Model):
    lookup = models.ForeignKey(Lookup, models.CASCADE, related_name="hits")
    involvement = models.ForeignKey(Involvement, models.CASCADE, related_name="hits")
    strength = models.CharField(_("match strength"), max_length=10, choices=Strength.choices)
    basis = models.CharField(
        _("basis of the match"), max_length=12, choices=HitBasis.choices, blank=True
    )
    household = models.BooleanField(_("household hit"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=HitStatus.choices, default=HitStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"hit #{self.pk} ({self.strength})"


class HitTask(models.Model):
    """Follow-up for one organisation on a confirmed hit: both sides get one. One task per
    person and pair of organisations, however often the hit is confirmed again: a later
    confirmation points the task at its hit and opens it again."""

    hit = models.ForeignKey(Hit, models.CASCADE, related_name="tasks")
    involvement = models.ForeignKey(Involvement, models.CASCADE, related_name="tasks")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    counterpart = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=TaskSide.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["hit", "organisation"], name="one_task_per_side"),
            models.UniqueConstraint(
                fields=["involvement", "organisation", "counterpart"],
                name="one_task_per_person_and_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"task for {self.organisation} on hit #{self.hit_id}"
