"""Who sees and runs a meeting, and who sees personal data on its agenda.

- The AF OOV of the municipality organises and chairs: plans meetings, builds the agenda, records
  the minutes and the decisions.
- Staff of an invited organisation, in a role that works on cases, see the meeting.
- Personal data on the agenda and in the minutes (names of persons, the signal's description,
  the discussion) only for a viewer whose organisation is invited *and* party to a covenant that
  covers this meeting type on the meeting's date; everyone else sees the item with pseudonyms.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from schakel.cases.policies import CASE_ROLES, DIRECTOR_ROLES
from schakel.core.policies import Action, Actor, Policy, register
from schakel.organisations.selectors import covered_organisations

from .models import AgendaItem, Meeting


class MeetingPolicy(Policy[Meeting]):
    model = Meeting

    def visible_to(self, actor: Actor) -> QuerySet[Meeting]:
        if not actor.is_authenticated:
            return Meeting.objects.none()
        return Meeting.objects.filter(
            Q(municipality__in=actor.municipalities_where(*DIRECTOR_ROLES))
            | Q(invited__in=actor.organisations_where(*CASE_ROLES))
        ).distinct()

    def organises(self, actor: Actor, meeting: Meeting) -> bool:
        return meeting.municipality_id in actor.municipalities_where(*DIRECTOR_ROLES)

    def attends_as(self, actor: Actor, meeting: Meeting) -> frozenset[int]:
        """The actor's organisations that are invited to the meeting."""
        mine = actor.organisations_where(*CASE_ROLES)
        invited = frozenset(meeting.invited.values_list("pk", flat=True))
        return mine & invited

    def reveals_personal_data(self, actor: Actor, meeting: Meeting) -> bool:
        attending = self.attends_as(actor, meeting)
        if not attending:
            return False
        return bool(
            covered_organisations(
                organisation_ids=attending,
                region_id=meeting.municipality.region_id,
                meeting_type=meeting.meeting_type,
                on=meeting.scheduled_for.date(),
            )
        )

    def may_record(self, actor: Actor, meeting: Meeting) -> bool:
        """Writing minutes and recording decisions: the organiser, and only when they may read
        the items in full (the minutes form shows what was written before)."""
        return self.organises(actor, meeting) and self.reveals_personal_data(actor, meeting)

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        if action is Action.CREATE:
            return actor.has_role(*DIRECTOR_ROLES)
        if obj is None:
            return action in (Action.LIST, Action.VIEW) and actor.has_role(*CASE_ROLES)
        if action is Action.VIEW:
            return self.organises(actor, obj) or bool(self.attends_as(actor, obj))
        if action is Action.CHANGE:
            return self.organises(actor, obj)
        return False


meeting_policy = register(MeetingPolicy(), AgendaItem)
