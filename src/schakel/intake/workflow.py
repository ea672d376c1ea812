"""The life of a signal (the AF's step plan, DOMAIN.md §3). Every status change goes through
`check_transition`; the table and the guards below are the whole rule set."""

from __future__ import annotations

from django.utils.translation import gettext as _

from schakel.catalogue.choices import ExploitationFormCode
from schakel.core.text import has_reason
from schakel.core.workflow import TransitionRefused

from .choices import CloseReason, Routing, SignalStatus

__all__ = [
    "INITIAL",
    "TRANSITIONS",
    "TransitionRefused",
    "can_transition",
    "check_transition",
    "guard_close",
    "guard_route",
]

TRANSITIONS: dict[SignalStatus, frozenset[SignalStatus]] = {
    SignalStatus.NEW: frozenset({SignalStatus.IN_PROGRESS}),
    SignalStatus.IN_PROGRESS: frozenset({SignalStatus.ROUTED, SignalStatus.CLOSED}),
    SignalStatus.ROUTED: frozenset({SignalStatus.CLOSED}),
    SignalStatus.CLOSED: frozenset(),
}

INITIAL = SignalStatus.NEW


def can_transition(source: SignalStatus, target: SignalStatus) -> bool:
    return target in TRANSITIONS[source]


def check_transition(source: str, target: SignalStatus) -> None:
    if not can_transition(SignalStatus(source), target):
        raise TransitionRefused(
            _("A signal that is '%(source)s' cannot become '%(target)s'.")
            % {"source": SignalStatus(source).label, "target": target.label}
        )


def guard_route(*, destination: str, form_codes: set[str]) -> None:
    """The PCT handles illegal prostitution only: a signal without sexual exploitation is not
    theirs, and a signal of suspected trafficking goes to the case meeting."""
    if destination == Routing.PCT and ExploitationFormCode.SEXUAL not in form_codes:
        raise TransitionRefused(_("Only signals about (illegal) prostitution can go to the PCT."))


def guard_close(*, feedback_recorded: bool, reason: str, explanation: str) -> None:
    """No signal closes before its reporter got feedback, or the reason why they cannot."""
    if not feedback_recorded:
        raise TransitionRefused(
            _(
                "Record the feedback to the reporter first, or why it cannot be given, "
                "before closing the signal."
            )
        )
    if reason == CloseReason.NOT_TRAFFICKING and not has_reason(explanation):
        raise TransitionRefused(_("Explain why this is not human trafficking."))
