"""What Schakel already knows that is evidence for a condition, with its source and date.

Each fact is counted from the municipality's own data with aggregate queries only (no person,
no signal's content). A fact may suggest a level: a suggestion beside the question, never an
answer; the AF decides. When an assessment is finalised its facts are kept with it
(`Assessment.facts`), so a final year shows the facts it was judged on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.catalogue.cards import CARDS
from schakel.catalogue.selectors import indicators_for
from schakel.intake.deadlines import feedback_overdue_before
from schakel.intake.models import Signal
from schakel.meetings.choices import MeetingStatus
from schakel.meetings.models import Meeting
from schakel.organisations.choices import MeetingType, Role
from schakel.organisations.models import Covenant, Membership, Municipality

YEAR = timedelta(days=365)

SOURCES = {
    "af_oov_active": gettext_lazy("Users and roles (organisations)"),
    "reporting_route": gettext_lazy("Municipality settings and signal cards (catalogue)"),
    "meetings_held": gettext_lazy("Meetings"),
    "covenants_in_force": gettext_lazy("Covenants (organisations)"),
    "feedback_on_time": gettext_lazy("Signals (intake)"),
    "trainings_given": gettext_lazy("Trainings (network)"),
}


@dataclass(frozen=True)
class Fact:
    key: str
    text: str  # what the fact says, in a sentence
    value: str  # the figure or yes/no, short
    source: str  # which part of Schakel it comes from
    as_of: str  # ISO date on which it was counted
    suggested_level: int | None = None  # a suggestion only; None: no suggestion
    available: bool = True

    @property
    def as_of_date(self) -> date:
        return date.fromisoformat(self.as_of)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def _fact(key: str, today: date, text: str, value: str, level: int | None) -> Fact:
    return Fact(key, text, value, str(SOURCES[key]), today.isoformat(), level)


def af_oov_active(municipality: Municipality, today: date) -> Fact:
    count = (
        Membership.objects.filter(
            role=Role.AF_OOV,
            is_active=True,
            user__is_active=True,
            organisation__is_active=True,
            organisation__municipality=municipality,
        )
        .values("user")
        .distinct()
        .count()
    )
    text = (
        _("An aandachtsfunctionaris OOV has an active account in Schakel (%(count)s).")
        % {"count": count}
        if count
        else _("No aandachtsfunctionaris OOV has an active account in Schakel.")
    )
    return _fact("af_oov_active", today, text, _("yes") if count else _("no"), 2 if count else 0)


def reporting_route(municipality: Municipality, today: date) -> Fact:
    configured = all(
        (
            municipality.reporting_point_name,
            municipality.reporting_point_phone,
            municipality.reporting_point_email,
        )
    )
    published = sum(
        1 for card in CARDS if indicators_for(forms=card.forms, categories=card.categories).exists()
    )
    if configured and published:
        text = _(
            "The reporting point (name, phone, mailbox) is set and %(count)s signal cards with "
            "it are published."
        ) % {"count": published}
        level = 2
    elif configured:
        text, level = _("The reporting point is set, but no signal card is published."), 1
    else:
        text, level = _("The reporting point is not set completely."), 0
    value = _("%(count)s cards") % {"count": published} if configured else _("not set")
    return _fact("reporting_route", today, text, value, level)


def meetings_held(municipality: Municipality, today: date) -> Fact:
    since = timezone.now() - YEAR
    counts = Meeting.objects.filter(
        municipality=municipality,
        scheduled_for__gte=since,
        scheduled_for__lte=timezone.now(),
        status__in=(MeetingStatus.HELD, MeetingStatus.CLOSED),
    ).aggregate(
        case=Count("pk", filter=Q(meeting_type=MeetingType.CASE_MEETING)),
        riec=Count("pk", filter=Q(meeting_type=MeetingType.RIEC_MEETING)),
    )
    case, riec = counts["case"], counts["riec"]
    text = _(
        "In the last 12 months %(case)s case meetings and %(riec)s RIEC meetings were held."
    ) % {"case": case, "riec": riec}
    level = 2 if case and riec else 1 if case or riec else 0
    return _fact("meetings_held", today, text, f"{case} / {riec}", level)


def covenants_in_force(municipality: Municipality, today: date) -> Fact:
    count = (
        Covenant.objects.filter(
            parties__municipality=municipality,
            valid_from__lte=today,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .distinct()
        .count()
    )
    text = _(
        "%(count)s covenants that the municipality's organisations signed are in force today."
    ) % {"count": count}
    return _fact("covenants_in_force", today, text, str(count), 2 if count else 0)


def feedback_on_time(municipality: Municipality, today: date) -> Fact:
    term = timedelta(days=settings.SCHAKEL_FEEDBACK_DAYS + 1)
    # Signals of the last 12 months whose feedback is given or whose term has passed.
    counts = Signal.objects.filter(
        Q(feedback_at__isnull=False) | Q(reported_at__lt=feedback_overdue_before(today)),
        municipality=municipality,
        reported_at__gte=timezone.now() - YEAR,
    ).aggregate(
        due=Count("pk"),
        on_time=Count(
            "pk", filter=Q(feedback_at__isnull=False, feedback_at__lt=F("reported_at") + term)
        ),
    )
    due, on_time = counts["due"], counts["on_time"]
    if not due:
        text = _("No signal of the last 12 months has reached its feedback term yet.")
        return _fact("feedback_on_time", today, text, "–", None)
    share = round(100 * on_time / due)
    text = _(
        "%(on_time)s of %(due)s signals of the last 12 months (%(share)s%%) got feedback to the "
        "reporter within %(days)s days."
    ) % {"on_time": on_time, "due": due, "share": share, "days": settings.SCHAKEL_FEEDBACK_DAYS}
    level = 2 if share >= 80 else 1 if share > 0 else 0
    return _fact("feedback_on_time", today, text, f"{share}%", level)


def trainings_given(municipality: Municipality, today: date) -> Fact:
    # TODO(issue 16, after merge): the network app's
    # `schakel.network.selectors.training_summary(*, municipality_id, since, until)` supplies
    # the trainings given and people trained in the last 12 months; the lead wires it here.
    return Fact(
        "trainings_given",
        _("Trainings are not recorded in Schakel yet."),
        _("not available yet"),
        str(SOURCES["trainings_given"]),
        today.isoformat(),
        None,
        available=False,
    )


FACTS: dict[str, Callable[[Municipality, date], Fact]] = {
    "af_oov_active": af_oov_active,
    "reporting_route": reporting_route,
    "meetings_held": meetings_held,
    "covenants_in_force": covenants_in_force,
    "feedback_on_time": feedback_on_time,
    "trainings_given": trainings_given,
}


def facts_for(
    municipality: Municipality, keys: Iterable[str] | None = None, today: date | None = None
) -> dict[str, Fact]:
    """The facts asked for (all by default), counted today."""
    today = today or timezone.localdate()
    wanted = list(FACTS) if keys is None else [k for k in FACTS if k in set(keys)]
    return {key: FACTS[key](municipality, today) for key in wanted}


def snapshot(municipality: Municipality) -> dict[str, dict[str, Any]]:
    """Every fact as plain data, to keep with a finalised assessment."""
    return {key: fact.as_dict() for key, fact in facts_for(municipality).items()}


def from_snapshot(data: dict[str, Any]) -> dict[str, Fact]:
    return {key: Fact.from_dict(value) for key, value in data.items()}
