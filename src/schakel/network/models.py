"""The partner network (DOMAIN.md §2, §10): each organisation's profile in the directory
(sociale kaart), the trainings given in a municipality and who attended them, and the region's
care offers (zorgkaart). Kind, sub-network and ring stay on the organisation itself; covenants
signed come from the organisations app."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.catalogue.models import ExploitationForm
from schakel.core.models import TimeStampedModel
from schakel.organisations.models import Municipality, Organisation, Region

from .choices import Audience, CareDomain, RoutePlace, TrainingSector

USER = settings.AUTH_USER_MODEL

DEFAULT_REPEAT_MONTHS = 24
MIN_REPEAT_MONTHS, MAX_REPEAT_MONTHS = 6, 60


class PartnerProfile(TimeStampedModel):
    """What the directory says of an organisation: whom to call, its own aandachtsfunctionaris
    mensenhandel, its place in the reporting route and what it does in the approach."""

    organisation = models.OneToOneField(
        Organisation, models.CASCADE, related_name="profile", verbose_name=_("organisation")
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    af_name = models.CharField(
        _("aandachtsfunctionaris mensenhandel"),
        max_length=120,
        blank=True,
        help_text=_("The organisation's own theme owner, who trains colleagues."),
    )
    af_email = models.EmailField(_("email of the aandachtsfunctionaris"), blank=True)
    route_place = models.CharField(
        _("place in the reporting route"),
        max_length=32,
        choices=RoutePlace.choices,
        default=RoutePlace.NONE,
    )
    role_in_approach = models.TextField(_("what it does in the approach"), blank=True)
    staff_count = models.PositiveIntegerField(
        _("staff"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For hotels and holiday parks: the staff the certification counts against."),
    )
    is_subsidised = models.BooleanField(
        _("subsidised care partner"),
        default=False,
        help_text=_("The municipality subsidises it: the quality framework applies."),
    )
    expertgroep_member = models.BooleanField(_("member of the Expertgroep"), default=False)
    updated_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("partner profile")
        verbose_name_plural = _("partner profiles")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def has_own_af(self) -> bool:
        """An own AF is one the directory can name: a flag beside the name could contradict it."""
        return bool(self.af_name.strip())


class TrainingSetting(models.Model):
    """A municipality's choice of how often a training is repeated; without one, every two
    years."""

    municipality = models.OneToOneField(
        Municipality,
        models.CASCADE,
        related_name="training_setting",
        verbose_name=_("municipality"),
    )
    repeat_after_months = models.PositiveSmallIntegerField(
        _("repeat after (months)"),
        default=DEFAULT_REPEAT_MONTHS,
        validators=[MinValueValidator(MIN_REPEAT_MONTHS), MaxValueValidator(MAX_REPEAT_MONTHS)],
        help_text=_("A training counts this many months; then a repeat is due. 6 to 60."),
    )

    class Meta:
        verbose_name = _("training setting")
        verbose_name_plural = _("training settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(repeat_after_months__gte=MIN_REPEAT_MONTHS)
                & models.Q(repeat_after_months__lte=MAX_REPEAT_MONTHS),
                name="training_repeat_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.repeat_after_months}"


class TrainingSession(TimeStampedModel):
    """A training given in a municipality (DOMAIN.md §10): who gave it, for whom, and whether
    the AF presented the reporting route."""

    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("municipality"),
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    trainer_organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings_given",
        verbose_name=_("trainer organisation"),
    )
    trainer_name = models.CharField(_("trainer"), max_length=200, blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    sector = models.CharField(_("sector"), max_length=16, choices=TrainingSector.choices)
    reporting_route_presented = models.BooleanField(
        _("reporting route presented"),
        default=False,
        help_text=_("The aandachtsfunctionaris presented the reporting route at the training."),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        USER, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return f"{self.title} {self.held_on:%Y-%m-%d}"


class TrainingAttendance(models.Model):
    """How many people of one organisation attended a training."""

    session = models.ForeignKey(
        TrainingSession, models.CASCADE, related_name="attendances", verbose_name=_("training")
    )
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="training_attendances",
        verbose_name=_("organisation"),
    )
    participants = models.PositiveIntegerField(_("participants"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"], name="attendance_once_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(participants__gte=1), name="attendance_has_participants"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.participants}"


class CareOffer(TimeStampedModel):
    """One offer of care for victims in the region (zorgkaart): its domain and the target groups
    it takes in. The gaps are the combinations no active offer covers (network/care_map.py)."""

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="care_offers", verbose_name=_("region")
    )
    provider = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_offers",
        verbose_name=_("provider"),
    )
    provider_name = models.CharField(
        _("provider name"),
        max_length=200,
        blank=True,
        help_text=_("For a provider that is not an organisation in Schakel."),
    )
    title = models.CharField(_("offer"), max_length=200)
    domain = models.CharField(_("domain"), max_length=16, choices=CareDomain.choices)
    for_adults = models.BooleanField(_("for adults"), default=False)
    for_minors = models.BooleanField(_("for minors"), default=False)
    for_dutch = models.BooleanField(_("for Dutch nationals"), default=False)
    for_eu = models.BooleanField(_("for EU nationals"), default=False)
    for_non_eu = models.BooleanField(_("for non-EU nationals"), default=False)
    exploitation_forms = models.ManyToManyField(
        ExploitationForm, related_name="+", verbose_name=_("forms of exploitation")
    )
    description = models.TextField(_("description"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        ordering = ["domain", "title"]
        verbose_name = _("care offer")
        verbose_name_plural = _("care offers")

    def __str__(self) -> str:
        return self.title

    @property
    def provider_label(self) -> str:
        return self.provider.name if self.provider_id and self.provider else self.provider_name
