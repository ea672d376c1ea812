from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held: minutes being written")
    CLOSED = "closed", _("Minutes final")


class MeetingEventKind(models.TextChoices):
    """The steps in a meeting's history (meetings/events.py renders each)."""

    PLANNED = "planned", _("Meeting planned")
    AGENDA_BUILT = "agenda_built", _("Agenda built")
    TOPIC_ADDED = "topic_added", _("Topic added to the agenda")
    HELD = "held", _("Meeting held: minutes opened")
    ATTENDANCE = "attendance", _("Attendance recorded")
    MINUTES = "minutes", _("Minutes recorded")
    TRIAGED = "triaged", _("Signal decided")
    DECIDED = "decided", _("Decision on a case")
    CLOSED = "closed", _("Minutes made final")


class TriageDecision(models.TextChoices):
    """What the case meeting decides about a signal (DOMAIN.md §5)."""

    NOT_TRAFFICKING = "not_trafficking", _("Not trafficking")
    MONITOR = "monitor", _("Monitor, re-check later")
    CARE = "care", _("Care track (zorgcoördinator; Veilig Thuis at high safety risk)")
    PERPETRATOR = "perpetrator", _("Perpetrator track (RIEC)")
    BOTH = "both", _("Care and perpetrator track")


class Advice(models.TextChoices):
    """The advice of the assessment framework; advisory only."""

    INTERVENE = "intervene", _("Intervene together with the RIEC partners")
    MONITOR = "monitor", _("Do not intervene yet: keep watching and re-check")
    NONE = "none", _("No indicators recorded: no advice")
