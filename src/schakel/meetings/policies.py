"""Who sees and runs a meeting, and who sees personal data on its agenda.

- The AF OOV of the municipality organises and chairs: plans meetings, builds the agenda, records
  who is present, the minutes and the decisions.
- Staff of an invited organisation, in a role that works on cases, see the meeting.
- Personal data on the agenda and in the minutes (names of persons, the signal's description,
  the discussion) only for a viewer whose organisation is invited *and* party to a covenant that
  covers this meeting type on the meeting's date; everyone else sees the item with pseudonyms.
  Writing the minutes and recording decisions shows what was written before, so it asks the same.
- The care side (zorgcoördinator, Veilig Thuis) of an invited organisation acknowledges
  perpetrator interventions in the meeting.
- Whether enough of the network is present for a decision is not a question of who acts but of
  who was there: see `meetings.services.quorum_refusal`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from schakel.core.policies import Action, Actor, AggregatePolicy, Rule, obtain, register
from schakel.organisations.roles import (
    Capability,
    capable,
    municipalities_with,
    organisations_with,
    roles_with,
)
from schakel.organisations.selectors import covered_organisations

from .choices import MeetingStatus
from .models import Meeting

if TYPE_CHECKING:
    from schakel.core.context import AccessContext


class MeetingAction(StrEnum):
    VIEW = "view"
    SEE_PERSONAL_DATA = "see_personal_data"
    EDIT_AGENDA = "edit_agenda"
    HOLD = "hold"
    RECORD_ATTENDANCE = "record_attendance"
    RECORD_MINUTES = "record_minutes"
    TRIAGE = "triage"
    DECIDE_PROPOSAL = "decide_proposal"
    ACKNOWLEDGE_INTERVENTION = "acknowledge_intervention"
    FINALISE = "finalise"
    PLAN_FOLLOW_UP = "plan_follow_up"


class MeetingRelation(StrEnum):
    ORGANISER = "organiser"  # the AF OOV of the meeting's municipality
    COVERED_ORGANISER = "covered_organiser"  # … whose organisation the covenant covers
    INVITEE = "invitee"  # the acting organisation is invited, in a case role
    COVERED_INVITEE = "covered_invitee"  # … and party to a covenant covering the meeting
    CARE_INVITEE = "care_invitee"  # … as zorgcoördinator or Veilig Thuis


R = MeetingRelation
A = MeetingAction
S = MeetingStatus
PLANNED, HELD = frozenset({S.PLANNED}), frozenset({S.HELD})

MEETING_RULES: dict[MeetingAction, Rule[MeetingRelation]] = {
    A.VIEW: Rule(frozenset({R.ORGANISER, R.INVITEE})),
    A.SEE_PERSONAL_DATA: Rule(frozenset({R.COVERED_INVITEE})),
    A.EDIT_AGENDA: Rule(frozenset({R.ORGANISER}), PLANNED | HELD),
    A.HOLD: Rule(frozenset({R.ORGANISER}), PLANNED),
    A.RECORD_ATTENDANCE: Rule(frozenset({R.ORGANISER}), HELD),
    A.RECORD_MINUTES: Rule(frozenset({R.COVERED_ORGANISER}), HELD),
    A.TRIAGE: Rule(frozenset({R.COVERED_ORGANISER}), HELD),
    A.DECIDE_PROPOSAL: Rule(frozenset({R.COVERED_ORGANISER}), HELD),
    A.ACKNOWLEDGE_INTERVENTION: Rule(frozenset({R.CARE_INVITEE}), HELD),
    A.FINALISE: Rule(frozenset({R.ORGANISER}), HELD),
    A.PLAN_FOLLOW_UP: Rule(frozenset({R.ORGANISER})),
}


class MeetingPolicy(AggregatePolicy[Meeting, MeetingAction, MeetingRelation]):
    model = Meeting
    actions = MeetingAction
    rules = MEETING_RULES

    def visible_to(self, actor: Actor) -> QuerySet[Meeting]:
        if not actor.is_authenticated:
            return Meeting.objects.none()
        return Meeting.objects.filter(
            Q(municipality__in=municipalities_with(actor, Capability.DIRECT))
            | Q(invited__in=organisations_with(actor, Capability.WORK_CASES))
        ).distinct()

    def relations(
        self, actor: Actor, obj: Meeting, target: Any = None
    ) -> frozenset[MeetingRelation]:
        held: set[MeetingRelation] = set()
        organises = obj.municipality_id in municipalities_with(actor, Capability.DIRECT)
        if organises:
            held.add(R.ORGANISER)
        attending = self.attends_as(actor, obj)
        if attending:
            held.add(R.INVITEE)
            if capable(actor, Capability.CARE_SIDE):
                held.add(R.CARE_INVITEE)
            if covered_organisations(
                organisation_ids=attending,
                region_id=obj.municipality.region_id,
                meeting_type=obj.meeting_type,
                on=obj.scheduled_for.date(),
            ):
                held.add(R.COVERED_INVITEE)
                if organises:
                    held.add(R.COVERED_ORGANISER)
        return frozenset(held)

    def state(self, obj: Meeting) -> str:
        return obj.status

    def state_refusal(self, obj: Meeting) -> str:
        if obj.status == MeetingStatus.CLOSED:
            return _("The minutes of this meeting are final: nothing in it changes any more.")
        if obj.status == MeetingStatus.PLANNED:
            return _("This is done while the meeting is held.")
        return _("This is done before the meeting is held.")

    def members(self, relation: MeetingRelation, obj: Meeting) -> Q:
        invited = Q(organisation__in=obj.invited.values("pk"))
        if relation in (R.ORGANISER, R.COVERED_ORGANISER):
            return Q(
                role__in=roles_with(Capability.DIRECT),
                organisation__municipality_id=obj.municipality_id,
            )
        if relation is R.CARE_INVITEE:
            return Q(role__in=roles_with(Capability.CARE_SIDE)) & invited
        return Q(role__in=roles_with(Capability.WORK_CASES)) & invited

    def attends_as(self, actor: Actor, meeting: Meeting) -> frozenset[int]:
        """The actor's organisations that are invited to the meeting."""
        mine = organisations_with(actor, Capability.WORK_CASES)
        if not mine:
            return frozenset()
        return frozenset(meeting.invited.filter(pk__in=mine).values_list("pk", flat=True))

    def organises(self, actor: Actor, meeting: Meeting) -> bool:
        return R.ORGANISER in self.relations(actor, meeting)

    def reveals_personal_data(self, actor: Actor, meeting: Meeting) -> bool:
        return self.can(actor, MeetingAction.SEE_PERSONAL_DATA, meeting)

    def can_kind(self, actor: Actor, action: Action) -> bool:
        if action is Action.CREATE:
            return capable(actor, Capability.DIRECT)
        if action in (Action.LIST, Action.VIEW, Action.CHANGE):
            return capable(actor, Capability.WORK_CASES)
        return False


# Agenda items are part of the meeting aggregate: they are reached only through their meeting
# and have no policy of their own (policy_for(AgendaItem) raises LookupError).
meeting_policy = register(MeetingPolicy())


def meeting_access(
    context: AccessContext,
    meeting: Meeting | int,
    action: MeetingAction,
    *,
    lock: bool = False,
) -> Meeting:
    """The entry guard of every meeting service (see core.policies.obtain)."""
    pk = meeting if isinstance(meeting, int) else meeting.pk
    return obtain(meeting_policy, context.actor, action, lock=lock, pk=pk)
