"""Aggregate selectors of meetings for the monitoring figures (core.figures): the signals and
cases discussed in case meetings and RIEC meetings held in the period, each counted once per
kind of meeting however often it came back."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Count

from schakel.core.figures import Tally, Window, tally
from schakel.organisations.choices import MeetingType

from .choices import MeetingStatus
from .models import AgendaItem, Meeting

COUNTED_MEETINGS = (MeetingType.CASE_MEETING, MeetingType.RIEC_MEETING)


def discussed_tally(window: Window) -> Tally:
    """Keys "<meeting type>:signal" and "<meeting type>:case": distinct signals and cases on
    the agenda of a meeting of that type held (or closed) in the window."""
    found: Tally = []
    held = AgendaItem.objects.filter(
        window.q("meeting__scheduled_for"),
        meeting__municipality__in=window.municipality_ids,
        meeting__meeting_type__in=COUNTED_MEETINGS,
        meeting__status__in=(MeetingStatus.HELD, MeetingStatus.CLOSED),
    ).annotate(
        period=window.tag("meeting__scheduled_for"),
        municipality_id=models.F("meeting__municipality_id"),
    )
    for item in ("signal", "case"):
        rows = (
            held.filter(**{f"{item}__isnull": False})
            .values("period", "municipality_id", key=models.F("meeting__meeting_type"))
            .annotate(n=Count(item, distinct=True))
        )
        found += [(p, m, f"{k}:{item}", n) for p, m, k, n in tally(rows)]
    return found


def meetings_held_count(
    *, municipality_id: int, since: datetime, until: datetime
) -> dict[str, int]:
    """Per counted meeting type (case meeting, RIEC meeting), the meetings of the municipality
    held (or closed) between the two moments."""
    rows = (
        Meeting.objects.filter(
            municipality_id=municipality_id,
            meeting_type__in=COUNTED_MEETINGS,
            scheduled_for__gte=since,
            scheduled_for__lte=until,
            status__in=(MeetingStatus.HELD, MeetingStatus.CLOSED),
        )
        .values("meeting_type")
        .annotate(n=Count("pk"))
    )
    held = {str(kind): 0 for kind in COUNTED_MEETINGS}
    held.update({row["meeting_type"]: row["n"] for row in rows})
    return held
