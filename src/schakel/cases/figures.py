"""Aggregate selectors of cases for the monitoring figures (core.figures): counts per period,
municipality and key, one GROUP BY each, nothing decrypted."""

from __future__ import annotations

from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.core.figures import CURRENT, Tally, Window, tally

from .choices import AgreementStatus, InterventionKind, PersonOutcome
from .models import Agreement, Case, CasePersonOutcome, Intervention


class InterventionGroup(models.TextChoices):
    """The three ways of disrupting (DOMAIN.md §8: administrative, fiscal, criminal)."""

    ADMINISTRATIVE = "administrative", _("Administrative")
    FISCAL = "fiscal", _("Fiscal")
    CRIMINAL = "criminal", _("Criminal")


INTERVENTION_GROUP = {
    InterventionKind.CLOSURE: InterventionGroup.ADMINISTRATIVE,
    InterventionKind.PERMIT_WITHDRAWAL: InterventionGroup.ADMINISTRATIVE,
    InterventionKind.PENALTY_ORDER: InterventionGroup.ADMINISTRATIVE,
    InterventionKind.BIBOB: InterventionGroup.ADMINISTRATIVE,
    InterventionKind.FISCAL: InterventionGroup.FISCAL,
    InterventionKind.CRIMINAL_REPORT: InterventionGroup.CRIMINAL,
    InterventionKind.PROSECUTION: InterventionGroup.CRIMINAL,
}


def cases_tally(window: Window) -> Tally:
    """Cases opened and cases closed in the window (keys "opened", "closed")."""
    found: Tally = []
    for key, field in (("opened", "created_at"), ("closed", "closed_at")):
        rows = (
            Case.objects.filter(window.q(field), municipality__in=window.municipality_ids)
            .annotate(period=window.tag(field), key=models.Value(key))
            .values("period", "municipality_id", "key")
            .annotate(n=Count("pk"))
        )
        found += tally(rows)
    return found


def interventions_tally(window: Window) -> Tally:
    """Interventions executed in the window, by kind (the outcome recorded later still counts:
    it was executed)."""
    rows = (
        Intervention.objects.filter(
            window.q("executed_at"), case__municipality__in=window.municipality_ids
        )
        .annotate(
            period=window.tag("executed_at"),
            municipality_id=models.F("case__municipality_id"),
            key=models.F("kind"),
        )
        .values("period", "municipality_id", "key")
        .annotate(n=Count("pk"))
    )
    return tally(rows)


def agreements_overdue_now_tally(municipality_ids: tuple[int, ...]) -> Tally:
    """Open agreements past their date today, per municipality."""
    rows = (
        Agreement.objects.filter(
            case__municipality__in=municipality_ids,
            status=AgreementStatus.OPEN,
            due_on__lt=timezone.localdate(),
        )
        .values(municipality_id=models.F("case__municipality_id"))
        .annotate(n=Count("pk"))
    )
    return [(CURRENT, r["municipality_id"], "agreements", r["n"]) for r in rows]


# The outcomes that say a victim was helped (DOMAIN.md §8); "no trafficking" is not counted.
HELPED = (
    PersonOutcome.REFERRED_TO_CARE,
    PersonOutcome.SHELTERED,
    PersonOutcome.REGISTERED_COMENSHA,
)


def victim_outcomes_tally(window: Window) -> Tally:
    """Possible victims per outcome recorded in the window (a victim sheltered and registered
    with CoMensha counts in both), and under "" the victims with any of them (each once)."""
    victims = CasePersonOutcome.objects.filter(
        window.q("recorded_at"),
        person__case__municipality__in=window.municipality_ids,
        person__role="victim",
        outcome__in=HELPED,
    ).annotate(
        period=window.tag("recorded_at"), municipality_id=models.F("person__case__municipality_id")
    )
    per_outcome = tally(
        victims.values("period", "municipality_id", key=models.F("outcome")).annotate(
            n=Count("person", distinct=True)
        )
    )
    helped = tally(
        victims.values("period", "municipality_id")
        .annotate(n=Count("person", distinct=True))
        .annotate(key=models.Value(""))
    )
    return per_outcome + helped
