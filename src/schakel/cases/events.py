"""How each step on a case's timeline reads (core.events): one renderer per kind, in the
reader's language, from the codes and ids the step stored. Inspections register the renderer
of their own step (inspections/events.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from schakel.catalogue.choices import ExploitationFormCode
from schakel.core.events import EventRenderers, Names, label
from schakel.core.pseudonyms import pseudonym
from schakel.intake.choices import PersonRole

from .choices import (
    CaseEventKind,
    DecisionKind,
    DirectionHolder,
    InterventionKind,
    LegalBasis,
    PersonOutcome,
    TimelineKind,
)

case_events = EventRenderers(CaseEventKind)

SITTING = {"meeting": 1, "held_on": "2026-03-12", "present": ["A. de Vries (Gemeente)"]}


def day(value: object) -> str:
    parsed = parse_date(value) if isinstance(value, str) else value
    return f"{parsed:%d-%m-%Y}" if isinstance(parsed, date) else ""


def _sitting(parameters: Mapping[str, Any]) -> str:
    """'case meeting of 12-03-2026 · present: …' for a step taken in a case meeting."""
    parts = [_("case meeting of %(date)s") % {"date": day(parameters.get("held_on"))}]
    present = parameters.get("present")
    if isinstance(present, list) and present:
        parts.append(_("present: %(present)s") % {"present": ", ".join(map(str, present))})
    return " · ".join(parts)


def _person(parameters: Mapping[str, Any]) -> str:
    role, number = parameters.get("role"), parameters.get("number")
    if role not in PersonRole.values or not isinstance(number, int):
        return ""
    return pseudonym(role, number)


@case_events.register(*TimelineKind.values, CaseEventKind.INTERVENTION_OUTCOME)
def _typed(parameters: Mapping[str, Any], names: Names) -> str:
    """Posted by hand: the words are the participant's own."""
    if parameters.get("intervention_kind"):
        return label(InterventionKind, parameters["intervention_kind"])
    return ""


@case_events.register(CaseEventKind.OPENED, example={"signals": ["MH-2026-0042"]})
def _opened(parameters: Mapping[str, Any], names: Names) -> str:
    signals = parameters.get("signals")
    if not isinstance(signals, list) or not signals:
        return ""
    return _("from signal(s) %(references)s") % {"references": ", ".join(map(str, signals))}


@case_events.register(
    CaseEventKind.UPDATED, example={"exploitation_forms": ["sexual"], "safety_risk_high": True}
)
def _updated(parameters: Mapping[str, Any], names: Names) -> str:
    codes = parameters.get("exploitation_forms") or []
    # In the catalogue's order, without a query per entry.
    forms = [str(name) for code, name in ExploitationFormCode.choices if code in codes]
    if parameters.get("safety_risk_high"):
        forms.append(_("high safety risk"))
    return ", ".join(forms)


@case_events.register(
    CaseEventKind.SHARED, CaseEventKind.REVEALED, example={"organisation": 1, "basis": "covenant"}
)
def _shared(parameters: Mapping[str, Any], names: Names) -> str:
    return " · ".join(
        [
            names.organisation(parameters.get("organisation")),
            label(LegalBasis, parameters.get("basis")),
        ]
    )


@case_events.register(CaseEventKind.UNSHARED, example={"organisation": 1})
def _unshared(parameters: Mapping[str, Any], names: Names) -> str:
    return names.organisation(parameters.get("organisation"))


@case_events.register(CaseEventKind.DIRECTION, example={"holder": "veilig_thuis"})
def _direction(parameters: Mapping[str, Any], names: Names) -> str:
    return label(DirectionHolder, parameters.get("holder"))


@case_events.register(
    CaseEventKind.PERSON, CaseEventKind.CORRECTED, example={"role": "victim", "number": 2}
)
def _person_step(parameters: Mapping[str, Any], names: Names) -> str:
    return _person(parameters)


@case_events.register(
    CaseEventKind.AGREEMENT,
    example={"agreement": 1, "owner_organisation": 1, "due_on": "2026-04-01"},
)
def _agreement(parameters: Mapping[str, Any], names: Names) -> str:
    if "owner_organisation" not in parameters:
        return ""
    return _("%(owner)s, by %(date)s") % {
        "owner": names.organisation(parameters.get("owner_organisation")),
        "date": day(parameters.get("due_on")),
    }


@case_events.register(
    CaseEventKind.AGREEMENT_DONE, CaseEventKind.AGREEMENT_CANCELLED, example={"agreement": 1}
)
def _agreement_settled(parameters: Mapping[str, Any], names: Names) -> str:
    return ""


@case_events.register(
    CaseEventKind.REFERRAL_PROPOSED,
    CaseEventKind.REFERRAL_ACCEPTED,
    CaseEventKind.REFERRAL_REJECTED,
    CaseEventKind.REFERRAL_REVOKED,
    example={"referral": 1, "to_organisation": 1},
)
def _referral(parameters: Mapping[str, Any], names: Names) -> str:
    return _("to %(organisation)s") % {
        "organisation": names.organisation(parameters.get("to_organisation"))
    }


@case_events.register(
    CaseEventKind.INTERVENTION_PROPOSED,
    CaseEventKind.INTERVENTION_WITHDRAWN,
    example={"intervention": 1, "intervention_kind": "closure"},
)
def _intervention(parameters: Mapping[str, Any], names: Names) -> str:
    return label(InterventionKind, parameters.get("intervention_kind"))


@case_events.register(
    CaseEventKind.INTERVENTION_ACKNOWLEDGED,
    example={"intervention": 1, "intervention_kind": "closure", **SITTING},
)
def _acknowledged(parameters: Mapping[str, Any], names: Names) -> str:
    kind = label(InterventionKind, parameters.get("intervention_kind"))
    return f"{kind} · {_sitting(parameters)}"


@case_events.register(
    CaseEventKind.INTERVENTION_EXECUTED,
    example={"intervention": 1, "intervention_kind": "closure", "urgent": True},
)
def _executed(parameters: Mapping[str, Any], names: Names) -> str:
    kind = label(InterventionKind, parameters.get("intervention_kind"))
    if parameters.get("urgent"):
        return _("%(kind)s · in urgent danger, before the care side acknowledged it") % {
            "kind": kind
        }
    return kind


def _decision(parameters: Mapping[str, Any]) -> str:
    if parameters.get("municipal_decision"):
        return str(parameters["municipal_decision"])
    return label(DecisionKind, parameters.get("decision_kind"))


@case_events.register(
    CaseEventKind.PROPOSAL, example={"proposal": 1, "decision_kind": "end_shelter"}
)
def _proposal(parameters: Mapping[str, Any], names: Names) -> str:
    return _decision(parameters)


@case_events.register(
    CaseEventKind.PROPOSAL_APPROVED,
    CaseEventKind.PROPOSAL_REJECTED,
    example={"proposal": 1, "municipal_decision": "Sluiting pand", **SITTING},
)
def _decided(parameters: Mapping[str, Any], names: Names) -> str:
    return f"{_decision(parameters)} · {_sitting(parameters)}"


@case_events.register(CaseEventKind.CLOSED, example={"outcomes": ["care", "none"]})
def _closed(parameters: Mapping[str, Any], names: Names) -> str:
    outcomes = parameters.get("outcomes") or []
    return ", ".join(label(PersonOutcome, o) for o in outcomes if o)


@case_events.register(
    CaseEventKind.OUTCOMES,
    example={"person": 1, "role": "victim", "number": 1, "outcomes": ["sheltered", "care"]},
)
def _outcomes(parameters: Mapping[str, Any], names: Names) -> str:
    outcomes = parameters.get("outcomes") or []
    labels = ", ".join(label(PersonOutcome, o) for o in outcomes if o)
    who = _person(parameters)
    return f"{who}: {labels}" if who and labels else labels
