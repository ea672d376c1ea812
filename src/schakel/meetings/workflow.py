"""The meeting's states: planned → held (minutes being written) → closed (minutes final)."""

from __future__ import annotations

from schakel.core.workflow import TransitionRefused, check

from .choices import MeetingStatus

__all__ = ["MEETING_TRANSITIONS", "TransitionRefused", "check"]

MEETING_TRANSITIONS: dict[MeetingStatus, frozenset[MeetingStatus]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.HELD}),
    MeetingStatus.HELD: frozenset({MeetingStatus.CLOSED}),
    MeetingStatus.CLOSED: frozenset(),
}
