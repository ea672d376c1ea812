"""Putting a case on the agenda of the next case meeting when something in it waits there.

A big decision proposed in a case is taken in the case meeting: the case must be on the next
one's agenda even when that agenda was built before the proposal. This is a consequence of an
allowed step in the case (the case service calls it), not a step of its own, so it asks no
policy of its own.
"""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from schakel.cases.models import Case
from schakel.organisations.choices import MeetingType

from .choices import MeetingStatus
from .models import AgendaItem, Meeting


def next_case_meeting(municipality_id: int) -> Meeting | None:
    """The first case meeting of the municipality from today on that is not final."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        Meeting.objects.filter(
            municipality_id=municipality_id,
            meeting_type=MeetingType.CASE_MEETING,
            status__in=(MeetingStatus.PLANNED, MeetingStatus.HELD),
            scheduled_for__gte=start,
        )
        .order_by("scheduled_for", "pk")
        .first()
    )


def schedule_for_next_case_meeting(case: Case) -> Meeting | None:
    """The next case meeting, with the case on its agenda (added at the end when missing)."""
    found = next_case_meeting(case.municipality_id)
    if found is None:
        return None
    meeting = Meeting.objects.select_for_update().get(pk=found.pk)  # positions stay unique
    if meeting.agenda.filter(case=case).exists():
        return meeting
    position = (meeting.agenda.aggregate(Max("position"))["position__max"] or 0) + 1
    AgendaItem.objects.create(meeting=meeting, position=position, case=case)
    return meeting
