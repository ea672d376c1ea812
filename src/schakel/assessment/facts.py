"""What Schakel already knows that is evidence for a condition, with its source and date.

Each fact is counted from the municipality's data by the owning app's aggregate selectors (no
person, no signal's content). A fact keeps numbers, not sentences: its text is written in the
reader's language when it is read, so a finalised assessment (which keeps its facts as they
stood, `Assessment.facts`) reads the same in Dutch and in English. A fact may suggest a level: a
suggestion beside the question, never an answer; the AF decides."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from schakel.catalogue.cards import CARDS
from schakel.catalogue.selectors import indicators_for
from schakel.intake.figures import feedback_timeliness
from schakel.meetings.figures import meetings_held_count
from schakel.network.selectors import training_summary
from schakel.organisations.choices import MeetingType, Role
from schakel.organisations.models import Municipality
from schakel.organisations.selectors import active_holders_count, covenants_in_force_count

YEAR = timedelta(days=365)

SOURCES: dict[str, Promise] = {
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
    params: dict[str, Any] = field(default_factory=dict)  # the numbers the text is written from
    as_of: str = ""  # ISO date on which it was counted
    suggested_level: int | None = None  # a suggestion only; None: no suggestion

    @property
    def as_of_date(self) -> date:
        return date.fromisoformat(self.as_of)

    @property
    def source(self) -> str:
        return str(SOURCES[self.key])

    @property
    def text(self) -> str:
        return WORDS[self.key](self.params)[0]

    @property
    def value(self) -> str:
        return WORDS[self.key](self.params)[1]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def _since(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today - YEAR, time.min))


def _until(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today, time.max))


# --- Counting (numbers only) ------------------------------------------------------------------


def af_oov_active(municipality: Municipality, today: date) -> Fact:
    count = active_holders_count(municipality_id=municipality.pk, role=Role.AF_OOV)
    return Fact("af_oov_active", {"count": count}, today.isoformat(), 2 if count else 0)


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
    level = (2 if published else 1) if configured else 0
    params = {"configured": configured, "cards": published}
    return Fact("reporting_route", params, today.isoformat(), level)


def meetings_held(municipality: Municipality, today: date) -> Fact:
    held = meetings_held_count(
        municipality_id=municipality.pk, since=_since(today), until=_until(today)
    )
    case, riec = held[MeetingType.CASE_MEETING], held[MeetingType.RIEC_MEETING]
    level = 2 if case and riec else 1 if case or riec else 0
    return Fact("meetings_held", {"case": case, "riec": riec}, today.isoformat(), level)


def covenants_in_force(municipality: Municipality, today: date) -> Fact:
    count = covenants_in_force_count(municipality_id=municipality.pk, on=today)
    return Fact("covenants_in_force", {"count": count}, today.isoformat(), 2 if count else 0)


def feedback_on_time(municipality: Municipality, today: date) -> Fact:
    due, on_time = feedback_timeliness(
        municipality_id=municipality.pk, since=_since(today), today=today
    )
    share = round(100 * on_time / due) if due else None
    level = None if share is None else 2 if share >= 80 else 1 if share > 0 else 0
    params = {"due": due, "on_time": on_time, "days": settings.SCHAKEL_FEEDBACK_DAYS}
    return Fact("feedback_on_time", params, today.isoformat(), level)


def trainings_given(municipality: Municipality, today: date) -> Fact:
    summary = training_summary(municipality_id=municipality.pk, since=today - YEAR, until=today)
    # One training a year reaches people; the reporting route presented at it is what the study
    # asks of each training (DOMAIN.md §10): that suggests "in place".
    level = 2 if summary.sessions and summary.route_presented else 1 if summary.sessions else 0
    params = {
        "sessions": summary.sessions,
        "participants": summary.participants,
        "organisations": summary.organisations,
        "route_presented": summary.route_presented,
    }
    return Fact("trainings_given", params, today.isoformat(), level)


# --- Words, in the reader's language ----------------------------------------------------------


def _af_words(p: dict[str, Any]) -> tuple[str, str]:
    if p["count"]:
        text = ngettext(
            "%(count)s aandachtsfunctionaris OOV has an active account in Schakel.",
            "%(count)s aandachtsfunctionarissen OOV have an active account in Schakel.",
            p["count"],
        ) % {"count": p["count"]}
        return text, _("yes")
    return _("No aandachtsfunctionaris OOV has an active account in Schakel."), _("no")


def _route_words(p: dict[str, Any]) -> tuple[str, str]:
    if not p["configured"]:
        return _("The reporting point is not set completely."), _("not set")
    value = ngettext("%(count)s card", "%(count)s cards", p["cards"]) % {"count": p["cards"]}
    if not p["cards"]:
        return _("The reporting point is set, but no signal card is published."), value
    text = ngettext(
        "The reporting point (name, phone, mailbox) is set and %(count)s signal card with it "
        "is published.",
        "The reporting point (name, phone, mailbox) is set and %(count)s signal cards with it "
        "are published.",
        p["cards"],
    ) % {"count": p["cards"]}
    return text, value


def _meetings_words(p: dict[str, Any]) -> tuple[str, str]:
    text = _("Case meetings held in the last 12 months: %(case)s; RIEC meetings: %(riec)s.") % {
        "case": p["case"],
        "riec": p["riec"],
    }
    return text, f"{p['case']} / {p['riec']}"


def _covenant_words(p: dict[str, Any]) -> tuple[str, str]:
    text = ngettext(
        "%(count)s covenant that the municipality's organisations signed is in force today.",
        "%(count)s covenants that the municipality's organisations signed are in force today.",
        p["count"],
    ) % {"count": p["count"]}
    return text, str(p["count"])


def _feedback_words(p: dict[str, Any]) -> tuple[str, str]:
    if not p["due"]:
        return _("No signal of the last 12 months has reached its feedback term yet."), "–"
    share = round(100 * p["on_time"] / p["due"])
    text = _(
        "%(on_time)s of %(due)s signals of the last 12 months (%(share)s%%) got feedback to the "
        "reporter within %(days)s days."
    ) % {**p, "share": share}
    return text, f"{share}%"


def _training_words(p: dict[str, Any]) -> tuple[str, str]:
    if not p["sessions"]:
        return _("No training was recorded in the last 12 months."), "0"
    text = (
        _(
            "Trainings in the last 12 months: %(sessions)s, with %(participants)s participants "
            "from %(organisations)s organisations; the reporting route was presented at "
            "%(route_presented)s of them."
        )
        % p
    )
    return text, str(p["sessions"])


WORDS: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    "af_oov_active": _af_words,
    "reporting_route": _route_words,
    "meetings_held": _meetings_words,
    "covenants_in_force": _covenant_words,
    "feedback_on_time": _feedback_words,
    "trainings_given": _training_words,
}

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
    return {key: Fact.from_dict(value) for key, value in data.items() if key in WORDS}
