"""Choices for the indicator catalogue.

An indicator has a **category** (where in the chain of exploitation it shows: recruitment,
housing, work …, or the sector card it belongs to: school, online advertisement, BRP desk), a
**kind** (a sign to notice, a fact found out, or a question to ask) and a **subject** (whom or
what it is about).
The BRP desk card of Bijlage 6 holds five questions, the behaviour of the registrant and the
behaviour of the escort: all three stay in the one category `brp_desk`, told apart by kind
(question/signal) and subject (person/escort). Keeping kind and subject apart from the category
lets the same distinction serve other cards too (the escort at the airport, the organ recipient)
without multiplying categories, and lets a signal card list "what to ask" apart from "what to see".

**Strength** is the local convention of the assessment framework (§5.4.1: hard or soft signals).
Where an indicator has a counterpart in the ILO/European Commission operational indicators
(2009), its ILO grade is stored too, and `strength_for_ilo_grade` is the one rule that derives
the default strength from it. The study's own examples take precedence over the derived default;
the functional administrator may change any strength, and the assessment stays advisory.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExploitationFormCode(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    CRIMINAL = "criminal", _("Criminal exploitation")
    ORGAN_REMOVAL = "organ_removal", _("Forced organ removal")
    UNKNOWN = "unknown", _("Unknown")


# The forms an indicator can point to: "unknown" describes a signal, never an indicator.
INDICATOR_FORM_CODES: tuple[str, ...] = tuple(
    code for code in ExploitationFormCode.values if code != ExploitationFormCode.UNKNOWN
)


class IndicatorCategory(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    SOCIAL = "social", _("Social")
    RECRUITMENT = "recruitment", _("Recruitment")
    ENTRY_TRANSPORT = "entry_transport", _("Entry and transport")
    HOUSING = "housing", _("Housing")
    IDENTITY = "identity", _("Identity")
    WORK = "work", _("Work")
    FINANCIAL = "financial", _("Financial")
    SCHOOL = "school", _("School")
    ONLINE_ADVERTISEMENT = "online_advertisement", _("Online advertisement")
    BRP_DESK = "brp_desk", _("BRP desk")


class IndicatorKind(models.TextChoices):
    """What a reporter does with an indicator. A sign is seen and a fact is found out (both are
    ticked and counted by the assessment framework); a question is guidance on what to ask: its
    answer is recorded as a sign or a fact, never the question itself."""

    SIGNAL = "signal", _("Sign to notice")
    FACT = "fact", _("Fact found")
    QUESTION = "question", _("Question to ask")


# The kinds a reporter can tick and the assessment framework counts.
RECORDED_KINDS: tuple[str, ...] = (IndicatorKind.SIGNAL, IndicatorKind.FACT)


class IndicatorSubject(models.TextChoices):
    PERSON = "person", _("The person concerned")
    ESCORT = "escort", _("Escort or controller")
    ORGAN_RECIPIENT = "organ_recipient", _("Organ recipient")
    SETTING = "setting", _("Place, advertisement or circumstances")


class IndicatorStrength(models.TextChoices):
    HARD = "hard", _("Hard")
    SOFT = "soft", _("Soft")


class IloGrade(models.TextChoices):
    NONE = "", _("No ILO counterpart")
    STRONG = "strong", _("Strong")
    MEDIUM = "medium", _("Medium")
    WEAK = "weak", _("Weak")


STRENGTH_FOR_ILO_GRADE: dict[str, str] = {
    IloGrade.STRONG: IndicatorStrength.HARD,
    IloGrade.MEDIUM: IndicatorStrength.SOFT,
    IloGrade.WEAK: IndicatorStrength.SOFT,
}


def strength_for_ilo_grade(grade: str) -> str | None:
    """The default local strength for an ILO grade: strong is hard, medium and weak are soft.
    None when the indicator has no ILO counterpart (the strength must then be set by hand)."""
    return STRENGTH_FOR_ILO_GRADE.get(grade)
