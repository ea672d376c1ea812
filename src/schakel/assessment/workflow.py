"""The assessment's states: a draft until its AF finalises it; final is for good (no reopening:
earlier years stay as they were judged)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from schakel.core.workflow import TransitionRefused, check

from .choices import AssessmentStatus

__all__ = ["ASSESSMENT_TRANSITIONS", "TransitionRefused", "check", "guard_complete"]

ASSESSMENT_TRANSITIONS: dict[AssessmentStatus, frozenset[AssessmentStatus]] = {
    AssessmentStatus.DRAFT: frozenset({AssessmentStatus.FINAL}),
    AssessmentStatus.FINAL: frozenset(),
}


def guard_complete(*, open_conditions: list[str]) -> None:
    """An assessment is finalised only with every condition answered."""
    if open_conditions:
        raise TransitionRefused(
            _("Answer every condition before you finalise: %(count)s still open (%(names)s).")
            % {"count": len(open_conditions), "names": ", ".join(open_conditions)}
        )
