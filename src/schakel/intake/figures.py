"""Aggregate selectors of signals for the monitoring figures (core.figures): counts per period,
municipality and key, one GROUP BY each. No row leaves the database and nothing is decrypted,
so these reads are not audited; who may see the counts is the monitoring policy's question."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Q, QuerySet, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.core.figures import Tally, Window, tally
from schakel.organisations.choices import OrganisationKind

from .choices import EntryPoint, PersonRole, ReporterSector, SignalStatus
from .deadlines import feedback_overdue_before, first_action_overdue_before
from .models import Signal, SignalPerson


class Source(models.TextChoices):
    """Who a signal came from, readable at a glance (DOMAIN.md §8: "26 anonymous, 40 via the
    housing covenant, 21 from own staff"): the entry point, and for the public form and the
    partners' accounts the sector of the reporter."""

    OWN_STAFF = "own_staff", _("Own staff of the municipality")
    POLICE = "police", _("Police / AVIM")
    CARE = "care", _("Zorgcoördinator / Veilig Thuis")
    INSPECTORATE = "inspectorate", _("Labour inspectorate")
    HOUSING = "housing", _("Housing corporations")
    HOSPITALITY = "hospitality", _("Hotels and hospitality")
    SCHOOL = "school", _("Schools")
    HEALTHCARE = "healthcare", _("Care and health care")
    CITIZEN = "citizen", _("Citizens through the public form")
    OTHER = "other", _("Other organisations")


_SECTOR_SOURCE = {
    ReporterSector.GENERAL_PUBLIC: Source.CITIZEN,
    ReporterSector.HOSPITALITY: Source.HOSPITALITY,
    ReporterSector.SCHOOL: Source.SCHOOL,
    ReporterSector.CARE: Source.HEALTHCARE,
    ReporterSector.HOUSING: Source.HOUSING,
    ReporterSector.OTHER: Source.OTHER,
}
_ORGANISATION_SOURCE = {
    OrganisationKind.HOUSING: Source.HOUSING,
    OrganisationKind.HOTEL: Source.HOSPITALITY,
    OrganisationKind.SCHOOL: Source.SCHOOL,
    OrganisationKind.HEALTHCARE: Source.HEALTHCARE,
    OrganisationKind.CARE_PROVIDER: Source.HEALTHCARE,
}
_ENTRY_SOURCE = {
    EntryPoint.MUNICIPALITY: Source.OWN_STAFF,
    EntryPoint.POLICE: Source.POLICE,
    EntryPoint.CARE: Source.CARE,
    EntryPoint.INSPECTORATE: Source.INSPECTORATE,
}


def source_of(entry_point: str, sector: str, organisation_kind: str | None) -> Source:
    if entry_point in _ENTRY_SOURCE:
        return _ENTRY_SOURCE[EntryPoint(entry_point)]
    if entry_point == EntryPoint.PUBLIC:
        return (
            _SECTOR_SOURCE.get(ReporterSector(sector), Source.CITIZEN)
            if sector in ReporterSector.values
            else Source.CITIZEN
        )
    if organisation_kind in OrganisationKind.values:
        return _ORGANISATION_SOURCE.get(OrganisationKind(organisation_kind), Source.OTHER)
    return Source.OTHER


class AgeBand(models.TextChoices):
    MINOR = "minor", _("Under 18")
    YOUNG = "18_24", _("18 to 24")
    ADULT = "25_34", _("25 to 34")
    MIDDLE = "35_49", _("35 to 49")
    OLDER = "50_plus", _("50 and older")
    UNKNOWN = "unknown", _("Unknown")


AGE_BAND = Case(
    When(approximate_age__isnull=True, then=models.Value(AgeBand.UNKNOWN.value)),
    When(approximate_age__lt=18, then=models.Value(AgeBand.MINOR.value)),
    When(approximate_age__lt=25, then=models.Value(AgeBand.YOUNG.value)),
    When(approximate_age__lt=35, then=models.Value(AgeBand.ADULT.value)),
    When(approximate_age__lt=50, then=models.Value(AgeBand.MIDDLE.value)),
    default=models.Value(AgeBand.OLDER.value),
    output_field=models.CharField(),
)

# The breakdowns of signals a figure can ask for, each a field (or expression) of Signal.
SIGNAL_KEYS = {
    "entry_point": "entry_point",
    "routing": "routing",
    "close_reason": "close_reason",
    "status": "status",
    "form": "exploitation_forms__code",
}
STEPS = ("days_to_pickup", "days_to_routing", "days_to_feedback")


def _reported(window: Window) -> QuerySet[Signal]:
    return Signal.objects.filter(window.q("reported_at"), municipality__in=window.municipality_ids)


def signals_tally(window: Window, breakdown: str) -> Tally:
    """Signals reported in the window by one breakdown (SIGNAL_KEYS, or "month", or "all").
    By form a signal counts once per form it carries (the rows do not add up)."""
    signals = _reported(window).annotate(period=window.tag("reported_at"))
    if breakdown == "all":
        rows = signals.values("period", "municipality_id").annotate(
            n=Count("pk"), key=models.Value("")
        )
    elif breakdown == "month":
        rows = (
            signals.annotate(key=TruncMonth("reported_at", tzinfo=timezone.get_current_timezone()))
            .values("period", "municipality_id", "key")
            .annotate(n=Count("pk"))
        )
        return [
            (str(r["period"]), int(r["municipality_id"]), r["key"].strftime("%Y-%m"), int(r["n"]))
            for r in rows
            if r["key"] is not None
        ]
    else:
        rows = (
            signals.annotate(key=models.F(SIGNAL_KEYS[breakdown]))
            .values("period", "municipality_id", "key")
            .annotate(n=Count("pk", distinct=breakdown == "form"))
        )
    return tally(rows)


def sources_tally(window: Window) -> Tally:
    """Signals by Source: grouped in the database by entry point, sector and organisation kind
    (a handful of groups), then named here."""
    rows = (
        _reported(window)
        .annotate(period=window.tag("reported_at"))
        .values(
            "period",
            "municipality_id",
            "entry_point",
            "reporter_sector",
            "reporter_organisation__kind",
        )
        .annotate(n=Count("pk"))
    )
    counted: dict[tuple[str, int, str], int] = {}
    for r in rows:
        key = (
            r["period"],
            r["municipality_id"],
            source_of(
                r["entry_point"], r["reporter_sector"], r["reporter_organisation__kind"]
            ).value,
        )
        counted[key] = counted.get(key, 0) + r["n"]
    return [(p, m, k, n) for (p, m, k), n in counted.items()]


def steps_tally(window: Window, step: str) -> Tally:
    """How many signals reported in the window took each number of working days to `step`
    (STEPS): the distribution the medians and percentiles are read from."""
    if step not in STEPS:
        raise ValueError(step)
    rows = (
        _reported(window)
        .filter(**{f"{step}__isnull": False})
        .annotate(period=window.tag("reported_at"), key=models.F(step))
        .values("period", "municipality_id", "key")
        .annotate(n=Count("pk"))
    )
    return tally(rows)


PERSON_KEYS = {"sex": "sex", "age": AGE_BAND}


def persons_tally(window: Window, role: PersonRole, breakdown: str) -> Tally:
    """Persons of a role named in signals reported in the window, by sex, age band or (after
    the nationality became a choice) country, each person once per signal."""
    expression = PERSON_KEYS.get(breakdown, breakdown)
    rows = (
        SignalPerson.objects.filter(
            window.q("signal__reported_at"),
            role=role,
            signal__municipality__in=window.municipality_ids,
        )
        .annotate(
            period=window.tag("signal__reported_at"),
            municipality_id=models.F("signal__municipality_id"),
            key=models.F(expression) if isinstance(expression, str) else expression,
        )
        .values("period", "municipality_id", "key")
        .annotate(n=Count("pk"))
    )
    return tally(rows)


def overdue_now_tally(municipality_ids: tuple[int, ...]) -> Tally:
    """Signals waiting past a deadline today (intake.deadlines): the first action, and the
    feedback to the reporter. Tagged "current": "now" has no previous period."""
    today = timezone.localdate()
    figures = (
        Signal.objects.filter(municipality__in=municipality_ids)
        .exclude(status=SignalStatus.CLOSED)
        .values("municipality_id")
        .annotate(
            first_action=Count(
                "pk",
                filter=Q(
                    status=SignalStatus.NEW, reported_at__lt=first_action_overdue_before(today)
                ),
            ),
            feedback=Count(
                "pk",
                filter=Q(feedback_at__isnull=True, reported_at__lt=feedback_overdue_before(today)),
            ),
        )
    )
    return [
        ("current", r["municipality_id"], key, r[key])
        for r in figures
        for key in ("first_action", "feedback")
    ]


def feedback_timeliness(*, municipality_id: int, since: datetime, today: date) -> tuple[int, int]:
    """(due, on time): of the municipality's signals reported since then, those whose reporter
    got feedback or whose feedback term has passed, and of those the ones whose feedback came
    within the term: SCHAKEL_FEEDBACK_DAYS days, counted from the hour of reporting to the end
    of the next day (the queue's deadline is the end of the term's last day, local time; this
    counts never late what the queue called on time)."""
    term = timedelta(days=settings.SCHAKEL_FEEDBACK_DAYS + 1)
    counts = Signal.objects.filter(
        Q(feedback_at__isnull=False) | Q(reported_at__lt=feedback_overdue_before(today)),
        municipality_id=municipality_id,
        reported_at__gte=since,
    ).aggregate(
        due=Count("pk"),
        on_time=Count(
            "pk",
            filter=Q(feedback_at__isnull=False, feedback_at__lt=models.F("reported_at") + term),
        ),
    )
    return counts["due"], counts["on_time"]
