"""The life of a signal. Every status change goes through this table; nothing else moves it."""

from __future__ import annotations

from .choices import SignalStatus

TRANSITIONS: dict[SignalStatus, frozenset[SignalStatus]] = {
    SignalStatus.NEW: frozenset({SignalStatus.IN_PROGRESS, SignalStatus.ROUTED}),
    SignalStatus.IN_PROGRESS: frozenset({SignalStatus.ROUTED, SignalStatus.CLOSED}),
    SignalStatus.ROUTED: frozenset({SignalStatus.CLOSED}),
    SignalStatus.CLOSED: frozenset(),
}

INITIAL = SignalStatus.NEW


def can_transition(source: SignalStatus, target: SignalStatus) -> bool:
    return target in TRANSITIONS[source]
