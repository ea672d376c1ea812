"""The national model as rows of one version (loaded from data/model-<version>.yaml by
model_loader.py), and the municipalities' assessments against it.

A version that an assessment uses never changes: an assessment points at its version's rows,
so a later version (new texts, levels or priorities) leaves every saved assessment as it was."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from schakel.core.models import TimeStampedModel
from schakel.organisations.models import Municipality

from .choices import AssessmentStatus, EvidenceKind, Tier


def in_language(obj: object, field: str) -> str:
    """The field's text in the active language (Dutch unless English is active)."""
    language = (get_language() or "nl").split("-")[0]
    value: str = getattr(obj, f"{field}_en" if language == "en" else f"{field}_nl")
    return value or getattr(obj, f"{field}_nl")


class Named(models.Model):
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class ModelVersion(models.Model):
    version = models.CharField(_("version"), max_length=20, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    source_nl = models.TextField(_("source (Dutch)"))
    source_en = models.TextField(_("source (English)"))
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")

    def __str__(self) -> str:
        return f"{self.title} {self.version}"

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def source(self) -> str:
        return in_language(self, "source")


class MaturityLevel(Named):
    """One step of the scale (0 absent … 3 embedded and evaluated), as the version words it."""

    model_version = models.ForeignKey(ModelVersion, models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"))
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))

    class Meta:
        ordering = ["level"]
        verbose_name = _("maturity level")
        verbose_name_plural = _("maturity levels")
        constraints = [
            models.UniqueConstraint(fields=["model_version", "level"], name="one_level_per_step")
        ]

    @property
    def description(self) -> str:
        return in_language(self, "description")


class Element(Named):
    model_version = models.ForeignKey(ModelVersion, models.CASCADE, related_name="elements")
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        constraints = [
            models.UniqueConstraint(fields=["model_version", "code"], name="element_code_unique")
        ]


class Condition(Named):
    model_version = models.ForeignKey(ModelVersion, models.CASCADE, related_name="conditions")
    element = models.ForeignKey(Element, models.CASCADE, related_name="conditions")
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"))
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    added = models.BooleanField(_("added by the study's conclusion"), default=False)
    priority = models.PositiveSmallIntegerField(_("priority"))
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))
    priority_reason_nl = models.TextField(_("why at this place (Dutch)"), blank=True)
    priority_reason_en = models.TextField(_("why at this place (English)"), blank=True)
    # The keys of the system facts that are evidence here (assessment/facts.py).
    facts = models.JSONField(_("facts from the system"), default=list, blank=True)

    class Meta:
        ordering = ["element__position", "position"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        constraints = [
            models.UniqueConstraint(fields=["model_version", "code"], name="condition_code_unique"),
            models.UniqueConstraint(
                fields=["model_version", "priority"], name="condition_priority_unique"
            ),
        ]

    @property
    def description(self) -> str:
        return in_language(self, "description")

    @property
    def priority_reason(self) -> str:
        return in_language(self, "priority_reason")


class Texted(models.Model):
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self, "text")


class LevelCriterion(Texted):
    """What one observes when the condition has reached a level (1–3)."""

    condition = models.ForeignKey(Condition, models.CASCADE, related_name="criteria")
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        ordering = ["level"]
        verbose_name = _("level criterion")
        verbose_name_plural = _("level criteria")
        constraints = [
            models.UniqueConstraint(fields=["condition", "level"], name="one_criterion_per_level")
        ]


class Instrument(Texted):
    """A steering instrument the municipality can use to close a gap on the condition."""

    condition = models.ForeignKey(Condition, models.CASCADE, related_name="instruments")
    code = models.SlugField(_("code"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("steering instrument")
        verbose_name_plural = _("steering instruments")


class BestPractice(Texted):
    """A practice the study counted across its case municipalities (Bijlage 3)."""

    condition = models.ForeignKey(Condition, models.CASCADE, related_name="best_practices")
    code = models.SlugField(_("code"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"))
    counts = models.JSONField(_("counts per municipality"), default=dict, blank=True)
    total = models.PositiveSmallIntegerField(_("total"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")


class BasisCriterion(Named):
    """A criterion of the national Basisniveau bestuurlijke aanpak."""

    model_version = models.ForeignKey(ModelVersion, models.CASCADE, related_name="basis_criteria")
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"))
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("Basisniveau criterion")
        verbose_name_plural = _("Basisniveau criteria")

    @property
    def description(self) -> str:
        return in_language(self, "description")


class BasisRequirement(models.Model):
    """The criterion is met when every one of its conditions reaches its level."""

    criterion = models.ForeignKey(BasisCriterion, models.CASCADE, related_name="requirements")
    condition = models.ForeignKey(Condition, models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Basisniveau requirement")
        verbose_name_plural = _("Basisniveau requirements")

    def __str__(self) -> str:
        return f"{self.condition.code} ≥ {self.level}"


class VngTheme(Named):
    """A theme of VNG's Kader Aanpak Mensenhandel (2021), mapped onto conditions."""

    model_version = models.ForeignKey(ModelVersion, models.CASCADE, related_name="vng_themes")
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"))
    conditions = models.ManyToManyField(Condition, related_name="vng_themes")

    class Meta:
        ordering = ["position"]
        verbose_name = _("VNG theme")
        verbose_name_plural = _("VNG themes")


class ReferenceProfile(Named):
    """A municipality's levels as derived from the study (2021), marked as such."""

    model_version = models.ForeignKey(ModelVersion, models.CASCADE, related_name="references")
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"))
    derivation_nl = models.TextField(_("derivation (Dutch)"))
    derivation_en = models.TextField(_("derivation (English)"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("reference profile")
        verbose_name_plural = _("reference profiles")

    @property
    def derivation(self) -> str:
        return in_language(self, "derivation")


class ReferenceLevel(models.Model):
    profile = models.ForeignKey(ReferenceProfile, models.CASCADE, related_name="levels")
    condition = models.ForeignKey(Condition, models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    basis_nl = models.TextField(_("basis in the study (Dutch)"), blank=True)
    basis_en = models.TextField(_("basis in the study (English)"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("reference level")
        verbose_name_plural = _("reference levels")

    def __str__(self) -> str:
        return f"{self.condition.code}: {self.level}"

    @property
    def basis(self) -> str:
        return in_language(self, "basis")


# --- The assessments --------------------------------------------------------------------------


class Assessment(TimeStampedModel):
    """A municipality's self-assessment of one year: a draft until its AF finalises it, then
    read-only for good (the facts it was judged on kept with it)."""

    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="assessments", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    model_version = models.ForeignKey(
        ModelVersion, models.PROTECT, related_name="assessments", verbose_name=_("model version")
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    # The facts from the system as they stood when it was finalised (facts.py, as dicts).
    facts = models.JSONField(_("facts when finalised"), default=dict, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_assessment_per_year")
        ]

    @property
    def is_final(self) -> bool:
        return self.status == AssessmentStatus.FINAL

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="answers")
    condition = models.ForeignKey(Condition, models.PROTECT, related_name="answers")
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)  # None: open
    notes = models.TextField(_("notes"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["condition__element__position", "condition__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "condition"], name="one_answer_per_condition"
            ),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__lte=3),
                name="answer_level_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.condition.code}"


class Evidence(models.Model):
    """What shows the level: a document (named, with where to find it), a link, or a date (of a
    decision, an evaluation). Files are not uploaded here: a policy document lives in the
    municipality's own records, the evidence says where."""

    answer = models.ForeignKey(Answer, models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title
