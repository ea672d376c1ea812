import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from schakel.catalogue.models import ExploitationForm, Indicator
from schakel.core.events import Event
from schakel.core.fields import EncryptedTextField
from schakel.core.models import TimeStampedModel
from schakel.organisations.models import Municipality, Organisation

from .choices import (
    CloseReason,
    EntryPoint,
    FirstJudgement,
    LinkBasis,
    PersonRole,
    ReporterSector,
    Routing,
    Sex,
    SignalEventKind,
    SignalStatus,
)


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
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="signals", verbose_name=_("indicators seen")
    )
    # What the reporting point found out while enriching: counted with the reporter's, shown apart.
    added_indicators = models.ManyToManyField(
        Indicator,
        blank=True,
        related_name="signals_enriched",
        verbose_name=_("indicators added by the reporting point"),
    )
    observed_on = models.DateField(_("date observed"))
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.NEW
    )
    # One token per rendered form: submitting the same form twice yields the same signal.
    submission_token = models.UUIDField(_("submission token"), unique=True, default=uuid.uuid4)
    first_judgement = models.CharField(
        _("first judgement of the reporting partner"),
        max_length=24,
        choices=FirstJudgement.choices,
        blank=True,
    )
    # Handling by the reporting point; each change also leaves a SignalEvent.
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    routing = models.CharField(_("routed to"), max_length=16, choices=Routing.choices, blank=True)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    feedback = models.TextField(_("feedback to the reporter"), blank=True)
    feedback_withheld_reason = models.TextField(_("why no feedback can be given"), blank=True)
    feedback_at = models.DateTimeField(_("feedback recorded at"), null=True, blank=True)
    # Working days from the report to each step, fixed when the step is taken (the figures'
    # medians and percentiles group by them; core.calendar.working_days_between).
    days_to_pickup = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    days_to_routing = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    days_to_feedback = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Retention: personal content is wiped once the term has passed, unless a legal hold applies.
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.CharField(_("reason for the legal hold"), max_length=300, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # A public reporter reads feedback with reference + code; only a hash of the code is kept.
    feedback_code_hash = models.CharField(
        _("feedback code (hashed)"), max_length=128, blank=True, editable=False
    )

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [
            models.Index(fields=["municipality", "status"], name="signal_queue_idx"),
            models.Index(fields=["municipality", "reported_at"], name="signal_period_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class SignalEvent(Event):
    """One step in the history of a signal (core.events: a kind and its parameters, rendered
    when read by intake/events.py). Append-only: a correction is a new entry."""

    signal = models.ForeignKey(
        Signal, models.CASCADE, related_name="events", verbose_name=_("signal")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=SignalEventKind.choices)

    class Meta(Event.Meta):
        verbose_name = _("signal event")
        verbose_name_plural = _("signal events")
        indexes = [models.Index(fields=["kind", "occurred_at"], name="signal_event_kind_idx")]

    def __str__(self) -> str:
        return f"{self.signal} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class SignalAddressKey(models.Model):
    """The keyed hash of a signal's address (intake/addresses.py): signals at one address are
    found through it, and the index holds no plaintext address."""

    signal = models.ForeignKey(
        Signal, models.CASCADE, related_name="address_keys", verbose_name=_("signal")
    )
    key = models.CharField(max_length=64, db_index=True)
    # Keyed hashes too: two places that both name a town (or a postcode) meet only when it is
    # the same one.
    town = models.CharField(max_length=64, blank=True)
    postcode = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("address index entry")
        verbose_name_plural = _("address index entries")
        constraints = [
            models.UniqueConstraint(fields=["signal", "key"], name="signal_address_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.signal} · {self.key[:8]}"


class SignalLink(models.Model):
    """Two signals that concern the same address, premises or people, linked by the AF."""

    signal = models.ForeignKey(Signal, models.CASCADE, related_name="links_out")
    linked = models.ForeignKey(Signal, models.CASCADE, related_name="links_in")
    basis = models.CharField(
        _("basis"), max_length=16, choices=LinkBasis.choices, default=LinkBasis.OTHER
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("link between signals")
        verbose_name_plural = _("links between signals")
        constraints = [
            models.UniqueConstraint(fields=["signal", "linked"], name="signal_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(signal=models.F("linked")), name="signal_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal} → {self.linked}"


class ReminderKind(models.TextChoices):
    """Which deadline of a signal a reminder is about (DOMAIN.md §3: no signal may lie idle)."""

    FIRST_ACTION = "first_action", _("First action")
    FEEDBACK = "feedback", _("Feedback to the reporter")


class ReminderLevel(models.IntegerChoices):
    REMINDER = 1, _("Reminder to the aandachtsfunctionarissen OOV")
    ESCALATION = 2, _("Escalation to the reporting point's shared mailbox")


class SignalReminder(models.Model):
    """A reminder sent because a signal passed a deadline. One row per signal, kind and level:
    running the reminder job again never sends the same reminder twice."""

    signal = models.ForeignKey(
        Signal, models.CASCADE, related_name="reminders", verbose_name=_("signal")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=ReminderLevel.choices)
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("signal reminder")
        verbose_name_plural = _("signal reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "kind", "level"], name="signal_reminder_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal} {self.kind}-{self.level}"


class SignalPerson(models.Model):
    """Someone the signal is about. Identifying fields are encrypted at rest; the name is found
    through its keyed hash, never through the plaintext."""

    signal = models.ForeignKey(
        Signal, models.CASCADE, related_name="persons", verbose_name=_("signal")
    )
    role = models.CharField(_("role"), max_length=12, choices=PersonRole.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    approximate_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)
    nationality_country = CountryField(_("nationality"), blank=True)
    nationality = models.CharField(
        _("language or other details"),
        max_length=80,
        blank=True,
        help_text=_("The nationality is chosen above; here the language or what else is known."),
    )
    appearance = EncryptedTextField(_("appearance and other details"), blank=True)
    name = EncryptedTextField(_("name"), blank=True)
    name_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)

    class Meta:
        ordering = ["signal", "pk"]
        verbose_name = _("person in a signal")
        verbose_name_plural = _("persons in signals")

    def __str__(self) -> str:
        return f"{self.signal} · {self.get_role_display()}"


def attachment_path(instance: "SignalAttachment", filename: str) -> str:
    """Stored under a random name: the original name may itself say too much."""
    return f"signals/{instance.signal_id}/{uuid.uuid4().hex}"


class SignalAttachment(models.Model):
    """A photo or PDF sent with a signal; kept under MEDIA_ROOT, which is never served directly:
    it is only downloaded through a view with a policy."""

    signal = models.ForeignKey(
        Signal, models.CASCADE, related_name="attachments", verbose_name=_("signal")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.signal} · {self.content_type}"
