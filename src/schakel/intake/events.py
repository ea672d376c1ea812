"""How each step in a signal's history reads (core.events): one renderer per kind, in the
reader's language. The case meeting's decision is rendered by the meetings app, which knows its
decisions (meetings/events.py registers it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schakel.core.events import EventRenderers, Names, label

from .choices import CloseReason, EnrichmentKind, LinkBasis, Routing, SignalEventKind
from .models import ReminderKind, ReminderLevel

signal_events = EventRenderers(SignalEventKind)


@signal_events.register(
    SignalEventKind.REPORTED,
    SignalEventKind.PICKED_UP,
    SignalEventKind.FEEDBACK_GIVEN,
    SignalEventKind.FEEDBACK_WITHHELD,
)
def _plain(parameters: Mapping[str, Any], names: Names) -> str:
    return ""


@signal_events.register(SignalEventKind.ENRICHED, example={"enrichment": "address"})
def _enriched(parameters: Mapping[str, Any], names: Names) -> str:
    return label(EnrichmentKind, parameters.get("enrichment"))


@signal_events.register(
    SignalEventKind.INDICATORS_ADDED, example={"indicators": ["physical-injury", "work-no-pay"]}
)
def _indicators_added(parameters: Mapping[str, Any], names: Names) -> str:
    codes = parameters.get("indicators")
    count = len(codes) if isinstance(codes, list) else 0
    return ngettext("%(count)d indicator", "%(count)d indicators", count) % {"count": count}


@signal_events.register(
    SignalEventKind.LINKED, example={"linked": "MH-2026-0042", "basis": "same_address"}
)
def _linked(parameters: Mapping[str, Any], names: Names) -> str:
    text = _("with %(reference)s") % {"reference": parameters.get("linked", "")}
    if "basis" in parameters:  # links made before the basis was recorded have none
        text += f" · {label(LinkBasis, parameters.get('basis'))}"
    return text


@signal_events.register(SignalEventKind.ROUTED, example={"destination": "case_meeting"})
def _routed(parameters: Mapping[str, Any], names: Names) -> str:
    return _("to: %(destination)s") % {"destination": label(Routing, parameters.get("destination"))}


@signal_events.register(SignalEventKind.CLOSED, example={"reason": "not_trafficking"})
def _closed(parameters: Mapping[str, Any], names: Names) -> str:
    return label(CloseReason, parameters.get("reason"))


@signal_events.register(
    SignalEventKind.REMINDER,
    example={"deadline": "first_action", "level": 2, "recipients": 3, "shared_mailbox": True},
)
def _reminder(parameters: Mapping[str, Any], names: Names) -> str:
    """Which deadline, to whom in general, how many were written to: never the addresses."""
    count = parameters.get("recipients")
    parts = [
        label(ReminderKind, parameters.get("deadline")),
        label(ReminderLevel, parameters.get("level")),
    ]
    if isinstance(count, int):
        parts.append(
            ngettext("sent to %(count)d address", "sent to %(count)d addresses", count)
            % {"count": count}
        )
    if parameters.get("shared_mailbox"):
        parts.append(_("the reporting point's shared mailbox included"))
    return " · ".join(parts)
