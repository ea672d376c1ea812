import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.catalogue.models import ExploitationForm
from schakel.core.models import TimeStampedModel
from schakel.organisations.models import Municipality, Organisation

from .choices import EntryPoint, ReporterSector, SignalStatus


class Signal(TimeStampedModel):
    """A signal (melding) of possible human trafficking."""

    reference = models.CharField(_("reference number"), max_length=20, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="signals", verbose_name=_("municipality")
    )
    entry_point = models.CharField(_("entry point"), max_length=16, choices=EntryPoint.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_signals",
        verbose_name=_("reporter"),
    )
    reporter_organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_signals",
        verbose_name=_("reporting organisation"),
    )
    reporter_sector = models.CharField(
        _("sector of the reporter"),
        max_length=16,
        choices=ReporterSector.choices,
        blank=True,
        help_text=_("Only for reports made through the public form."),
    )
    description = models.TextField(_("what was observed"))
    place = models.CharField(
        _("place"), max_length=200, help_text=_("Address or neighbourhood where it was seen.")
    )
    exploitation_forms = models.ManyToManyField(
        ExploitationForm, related_name="signals", verbose_name=_("forms of exploitation")
    )
    observed_on = models.DateField(_("date observed"))
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.NEW
    )
    # One token per rendered form: submitting the same form twice yields the same signal.
    submission_token = models.UUIDField(_("submission token"), unique=True, default=uuid.uuid4)
    # A public reporter reads feedback with reference + code; only a hash of the code is kept.
    feedback_code_hash = models.CharField(
        _("feedback code (hashed)"), max_length=128, blank=True, editable=False
    )

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [models.Index(fields=["municipality", "status"], name="signal_queue_idx")]

    def __str__(self) -> str:
        return self.reference
