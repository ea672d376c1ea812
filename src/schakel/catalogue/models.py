from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import (
    RECORDED_KINDS,
    ExploitationFormCode,
    IloGrade,
    IndicatorCategory,
    IndicatorKind,
    IndicatorStrength,
    IndicatorSubject,
)


class ExploitationForm(models.Model):
    """A form of exploitation; a row per code so signals, cases and indicators can refer to
    several forms and be counted per form on every database."""

    code = models.CharField(
        _("code"), max_length=16, unique=True, choices=ExploitationFormCode.choices
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("exploitation form")
        verbose_name_plural = _("exploitation forms")

    def __str__(self) -> str:
        return str(self.get_code_display())


class Indicator(models.Model):
    """One indicator of possible human trafficking (Bijlage 6 of the study, and what the
    functional administrator adds). Reference data: it never holds personal data."""

    code = models.SlugField(
        _("code"),
        max_length=80,
        unique=True,
        help_text=_("Stable identifier used by import and export; do not change it."),
    )
    text_nl = models.CharField(_("text (Dutch)"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500)
    category = models.CharField(_("category"), max_length=24, choices=IndicatorCategory.choices)
    kind = models.CharField(
        _("kind"), max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.SIGNAL
    )
    subject = models.CharField(
        _("about"),
        max_length=16,
        choices=IndicatorSubject.choices,
        default=IndicatorSubject.PERSON,
    )
    strength = models.CharField(
        _("strength"),
        max_length=8,
        choices=IndicatorStrength.choices,
        help_text=_("Hard or soft in the local assessment framework."),
    )
    ilo_grade = models.CharField(
        _("ILO grade"), max_length=8, choices=IloGrade.choices, blank=True, default=IloGrade.NONE
    )
    ilo_indicator = models.CharField(
        _("ILO indicator"),
        max_length=200,
        blank=True,
        help_text=_("The matching ILO/EC operational indicator (2009), with its dimension."),
    )
    exploitation_forms = models.ManyToManyField(
        ExploitationForm,
        related_name="indicators",
        verbose_name=_("exploitation forms"),
        limit_choices_to=~models.Q(code=ExploitationFormCode.UNKNOWN),
    )
    sources = models.JSONField(
        _("sources"),
        default=list,
        blank=True,
        help_text=_("Numbers of the sources in the study's list, e.g. 12, 27."),
    )
    source_note = models.TextField(_("source note"), blank=True)
    counts_as = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="counted_by",
        verbose_name=_("counts as"),
        help_text=_(
            "The broader indicator this one records the same fact as: a signal that has both "
            "counts the fact once."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.text

    @property
    def fact_id(self) -> int:
        """The id under which the assessment framework counts this indicator."""
        return self.counts_as_id or self.pk

    @property
    def is_recorded(self) -> bool:
        """Ticked and counted (a sign or a fact), not guidance (a question to ask)."""
        return self.kind in RECORDED_KINDS

    @property
    def text(self) -> str:
        """The text in the active language (Dutch unless English is active)."""
        language = (get_language() or "nl").split("-")[0]
        return self.text_en if language == "en" else self.text_nl
