"""The annual report (jaarverslag) of a municipality's approach: its goals, the goals met, next
year's goals and free text around the figures (DOMAIN.md §8, after Drenthe's report). The figures
themselves are not stored: they are counted when the report is read, protected for the reader."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.core.models import TimeStampedModel
from schakel.organisations.models import Municipality


class AnnualReport(TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="annual_reports", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # A public report is read by anyone who gets the PDF: its figures are protected whoever
    # renders it, the municipality's own AF included.
    is_public = models.BooleanField(_("public"), default=False)
    show_reference_figures = models.BooleanField(_("show reference figures"), default=False)
    introduction = models.TextField(_("introduction"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="one_annual_report_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class GoalYear(models.TextChoices):
    THIS = "this", _("Goal for this year")
    NEXT = "next", _("Goal for next year")


class ReportGoal(models.Model):
    report = models.ForeignKey(AnnualReport, models.CASCADE, related_name="goals")
    year_kind = models.CharField(_("year"), max_length=4, choices=GoalYear.choices)
    text = models.CharField(_("goal"), max_length=500)
    # Only for this year's goals: met, not met, or not assessed (None).
    met = models.BooleanField(_("met"), null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["year_kind", "order", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_kind="this") | models.Q(met__isnull=True),
                name="goal_met_only_this_year",
            )
        ]

    def __str__(self) -> str:
        return self.text


class ReportSection(models.Model):
    report = models.ForeignKey(AnnualReport, models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title
