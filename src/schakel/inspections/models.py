from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.cases.models import Case
from schakel.catalogue.models import Indicator
from schakel.organisations.models import Municipality, Organisation

from .choices import InspectionKind, InspectionStatus, NoticeKind

USER = settings.AUTH_USER_MODEL


class Inspection(models.Model):
    """A (BIT) inspection of premises: the organisations that take part, AVIM informed and the
    zorgcoördinatie asked to stand by beforehand (`InspectionNotice`), findings from the planned
    date on and an evaluation afterwards (DOMAIN.md §4, §10)."""

    municipality = models.ForeignKey(Municipality, models.PROTECT, related_name="inspections")
    case = models.ForeignKey(
        Case, models.SET_NULL, null=True, blank=True, related_name="inspections"
    )
    kind = models.CharField(_("kind of inspection"), max_length=16, choices=InspectionKind.choices)
    participants = models.ManyToManyField(
        Organisation, related_name="inspections", verbose_name=_("organisations taking part")
    )
    planned_for = models.DateTimeField(_("planned for"))
    premises = models.CharField(
        _("premises"), max_length=200, help_text=_("The business or address to be inspected.")
    )
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    indicators_seen = models.ManyToManyField(
        Indicator, blank=True, related_name="+", verbose_name=_("indicators seen")
    )
    findings = models.TextField(_("findings"), blank=True)
    held_at = models.DateTimeField(_("findings recorded at"), null=True, blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    planned_by = models.ForeignKey(USER, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-planned_for"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.premises} {self.planned_for:%Y-%m-%d}"


class InspectionNotice(models.Model):
    """An organisation told of an inspection beforehand (AVIM informed, the zorgcoördinatie asked
    to stand by), and whether one of its staff acknowledged it."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="notices")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        USER, models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("notice of an inspection")
        verbose_name_plural = _("notices of inspections")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind"], name="one_notice_per_kind"),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | models.Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="notice_acknowledged_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organisation_id}"
