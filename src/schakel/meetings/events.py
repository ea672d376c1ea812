"""How a meeting's steps read (core.events), and how a case meeting's decision reads on the
signal's own history (intake's TRIAGED step: this app knows its decisions)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schakel.core.context import AccessContext
from schakel.core.events import EventRenderers, EventShown, Names, label
from schakel.intake.choices import SignalEventKind
from schakel.intake.events import signal_events

from .choices import MeetingEventKind, TriageDecision
from .models import Meeting
from .policies import MeetingAction, meeting_policy

meeting_events = EventRenderers(MeetingEventKind)


@signal_events.register(
    SignalEventKind.TRIAGED, example={"decision": "care", "meeting": 1, "deviates": True}
)
def _signal_triaged(parameters: Mapping[str, Any], names: Names) -> str:
    said = label(TriageDecision, parameters.get("decision"))
    if parameters.get("deviates"):
        said += " · " + _("deviates from the advice")
    return said


@meeting_events.register(MeetingEventKind.PLANNED, MeetingEventKind.HELD, MeetingEventKind.CLOSED)
def _plain(parameters: Mapping[str, Any], names: Names) -> str:
    return ""


@meeting_events.register(MeetingEventKind.AGENDA_BUILT, example={"added": 3})
def _agenda_built(parameters: Mapping[str, Any], names: Names) -> str:
    added = parameters.get("added")
    if not isinstance(added, int):
        return ""
    return ngettext("%(count)d item added", "%(count)d items added", added) % {"count": added}


@meeting_events.register(
    MeetingEventKind.TOPIC_ADDED, MeetingEventKind.MINUTES, example={"item": 2}
)
def _item(parameters: Mapping[str, Any], names: Names) -> str:
    return _("item %(number)s") % {"number": parameters.get("item", "")}


@meeting_events.register(MeetingEventKind.ATTENDANCE, example={"present": 4})
def _attendance(parameters: Mapping[str, Any], names: Names) -> str:
    present = parameters.get("present")
    if not isinstance(present, int):
        return ""
    return ngettext("%(count)d present", "%(count)d present", present) % {"count": present}


@meeting_events.register(
    MeetingEventKind.TRIAGED,
    example={"item": 1, "signal": "MH-2026-0042", "decision": "monitor"},
)
def _triaged(parameters: Mapping[str, Any], names: Names) -> str:
    return _("item %(number)s, %(reference)s: %(decision)s") % {
        "number": parameters.get("item", ""),
        "reference": parameters.get("signal", ""),
        "decision": label(TriageDecision, parameters.get("decision")),
    }


@meeting_events.register(
    MeetingEventKind.DECIDED, example={"case": "ZK-2026-ABC234", "step": "proposal"}
)
def _decided(parameters: Mapping[str, Any], names: Names) -> str:
    if parameters.get("step") == "proposal":
        said = _("%(reference)s: decision on a proposal")
    else:
        said = _("%(reference)s: intervention acknowledged by the care side")
    return said % {"reference": parameters.get("case", "")}


def meeting_history(context: AccessContext, meeting: Meeting) -> list[EventShown]:
    """The meeting's steps for whoever may see the meeting; they name signals and cases by
    reference only, never persons."""
    meeting_policy.check(context.actor, MeetingAction.VIEW, meeting)
    return meeting_events.show(meeting.events.select_related("actor", "organisation"))
