from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.core.models import TimeStampedModel

from .choices import MeetingType, OrganisationKind, Ring, Role, SubNetwork


class Region(models.Model):
    """A care-coordination / RIEC region grouping several municipalities."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, unique=True, help_text=_("For example GM0999.")
    )
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    reporting_point_name = models.CharField(
        _("reporting point"),
        max_length=120,
        help_text=_("Name of the internal reporting point shown on signal cards."),
    )
    reporting_point_phone = models.CharField(_("reporting point phone"), max_length=30)
    reporting_point_email = models.EmailField(
        _("reporting point mailbox"),
        help_text=_("A shared mailbox, so that nothing depends on one person."),
    )
    assessment_hard_threshold = models.PositiveSmallIntegerField(
        _("hard signals for intervention"),
        default=3,
        help_text=_(
            "Assessment framework: from this many hard signals the advice is to intervene with "
            "the RIEC partners; with only soft signals the advice is to keep watching."
        ),
    )
    # The quorum of a case meeting for approving a big decision or acknowledging an intervention:
    # the netwerkregisseur, this many care parties (zorgcoördinator, Veilig Thuis) and this
    # many other organisations, all recorded present (DOMAIN.md §4: not by one partner alone).
    quorum_care_parties = models.PositiveSmallIntegerField(
        _("care parties present for a decision"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many care organisations (zorgcoördinator, Veilig Thuis) must be recorded "
            "present in a case meeting before it approves a big decision or acknowledges an "
            "intervention. At least one."
        ),
    )
    quorum_other_parties = models.PositiveSmallIntegerField(
        _("other organisations present for a decision"),
        default=0,
        help_text=_(
            "How many organisations besides the netwerkregisseur's and the care parties must "
            "be recorded present for such a decision."
        ),
    )

    # Disclosure control (monitoring/disclosure.py, docs/privacy.md): outside the AF roles a
    # count below this is shown as "< 5".
    disclosure_threshold = models.PositiveSmallIntegerField(
        _("smallest count shown outside the AF"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text=_(
            "The board, the region, exports and a public annual report see a count below this "
            "number as less than it, and no figure from which such a count can be worked out. "
            "Between 2 and 20."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class BigDecision(models.Model):
    """A decision the municipality's network takes in the case meeting and never one partner
    alone, beside the ones every municipality has (withdrawing a police report, moving a victim,
    ending shelter, confronting a suspect). A timeline entry whose text holds one of its
    keywords is flagged as a possible big decision (DOMAIN.md §4)."""

    municipality = models.ForeignKey(
        Municipality, models.CASCADE, related_name="big_decisions", verbose_name=_("municipality")
    )
    name = models.CharField(_("decision"), max_length=120)
    keywords = models.TextField(
        _("keywords"),
        help_text=_(
            "One word or phrase per line, in Dutch and English, that shows an entry takes this "
            "decision, for example 'schoolwissel' or 'change of school'."
        ),
    )

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("big decision")
        verbose_name_plural = _("big decisions")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="big_decision_once")
        ]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("Empty for organisations that work for the whole region."),
    )
    sub_network = models.CharField(_("sub-network"), max_length=16, choices=SubNetwork.choices)
    ring = models.CharField(_("ring"), max_length=8, choices=Ring.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Covenant(TimeStampedModel):
    """An agreement that allows its parties to share personal data in the meetings it covers."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="covenants", verbose_name=_("region")
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    parties = models.ManyToManyField(
        Organisation, related_name="covenants", verbose_name=_("parties")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="covenant_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CovenantCoverage(models.Model):
    """One meeting type a covenant covers."""

    covenant = models.ForeignKey(
        Covenant, models.CASCADE, related_name="coverages", verbose_name=_("covenant")
    )
    meeting_type = models.CharField(_("meeting type"), max_length=32, choices=MeetingType.choices)

    class Meta:
        verbose_name = _("covered meeting type")
        verbose_name_plural = _("covered meeting types")
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "meeting_type"], name="coverage_unique_meeting_type"
            )
        ]

    def __str__(self) -> str:
        return self.get_meeting_type_display()


class User(AbstractUser):
    """A person who logs in. What they may do follows from their memberships, never from flags."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Membership(TimeStampedModel):
    """A user acting for an organisation in one role."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"
