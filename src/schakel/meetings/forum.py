"""The case meeting as the forum where big decisions are taken and the care side acknowledges
perpetrator interventions (DOMAIN.md §4), registered with cases.hooks when the app is ready: the
cases services ask it, so the rule holds for every caller, and cases imports no meetings code."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.cases.hooks import Sitting
from schakel.cases.models import Case, Intervention, Proposal
from schakel.core.context import AccessContext
from schakel.core.workflow import TransitionRefused
from schakel.organisations.choices import MeetingType

from .agenda import schedule_for_next_case_meeting
from .attendance import present_at, quorum_refusal
from .choices import MeetingEventKind
from .models import CaseDecision, MeetingEvent
from .policies import MeetingAction, meeting_access, meeting_policy

STEPS = {
    "decide_proposal": MeetingAction.DECIDE_PROPOSAL,
    "acknowledge_intervention": MeetingAction.ACKNOWLEDGE_INTERVENTION,
}


class CaseMeetingForum:
    def sitting(self, context: AccessContext, meeting: Any, case: Case, step: str) -> Sitting:
        """Not in a corridor, not by one partner alone: a case meeting being held, with the case
        on its agenda, the step allowed to the actor there, and its quorum recorded present; an
        acknowledgement only by the care side recorded present."""
        meeting = meeting_access(context, meeting, MeetingAction.VIEW)
        if (
            meeting.meeting_type != MeetingType.CASE_MEETING
            or not meeting.agenda.filter(case=case).exists()
        ):
            raise TransitionRefused(
                _(
                    "This is decided in a case meeting (VCO) that is being held with the case "
                    "on its agenda."
                )
            )
        meeting_policy.check(context.actor, STEPS[step], meeting)
        present = present_at(meeting)
        refusal = quorum_refusal(meeting, present)
        if refusal is not None:
            raise TransitionRefused(refusal)
        if step == "acknowledge_intervention" and context.actor.membership_id not in {
            p.membership_id for p in present
        }:
            raise TransitionRefused(
                _("Only the care side recorded present in the meeting acknowledges here.")
            )
        return Sitting(
            meeting_id=meeting.pk,
            held_on=timezone.localdate(meeting.scheduled_for),
            present=[str(p) for p in present],
        )

    def record(
        self,
        context: AccessContext,
        sitting: Sitting,
        *,
        proposal: Proposal | None,
        intervention: Intervention | None,
    ) -> None:
        CaseDecision.objects.create(
            meeting_id=sitting.meeting_id,
            proposal=proposal,
            intervention=intervention,
            present=sitting.present,
        )
        decided = proposal or intervention
        MeetingEvent.objects.create(
            meeting_id=sitting.meeting_id,
            kind=MeetingEventKind.DECIDED,
            parameters={
                "case": decided.case.reference if decided is not None else "",
                "step": "proposal" if proposal is not None else "acknowledgement",
            },
            actor_id=context.actor.user_id,
            organisation_id=context.actor.organisation_id,
        )

    def waits_for(self, case: Case) -> None:
        schedule_for_next_case_meeting(case)


def connect() -> None:
    from schakel.cases.hooks import listeners

    listeners.forum = CaseMeetingForum()
