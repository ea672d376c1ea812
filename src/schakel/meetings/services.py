"""Every write to meetings goes through here: policy check, change and audit entry in one
transaction. Decisions on cases (opening one, approving a proposal, acknowledging an
intervention) are taken by the cases app's services, called from here with the meeting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.cases import services as case_services
from schakel.cases.choices import CaseStatus, DirectionHolder, InterventionStatus, LegalBasis
from schakel.cases.models import Case
from schakel.core import drafts
from schakel.core.context import AccessContext
from schakel.core.models import Draft
from schakel.core.policies import Action
from schakel.core.text import clean_text, has_reason, reason_text
from schakel.intake import selectors as intake_selectors
from schakel.intake import services as intake_services
from schakel.intake.choices import Routing, SignalStatus
from schakel.intake.models import Signal
from schakel.organisations.choices import MeetingType, Role
from schakel.organisations.models import Membership, Municipality, Organisation
from schakel.organisations.roles import Capability, roles_with
from schakel.organisations.selectors import covered_organisations, organisations_holding

from .assessment import CARE_TRACK, OPENS_CASE, PERPETRATOR_TRACK, advise, deviates
from .attendance import present_at
from .choices import MeetingEventKind, MeetingStatus, TriageDecision
from .models import AgendaItem, Attendance, Meeting, MeetingEvent
from .policies import MeetingAction, meeting_access, meeting_policy
from .workflow import MEETING_TRANSITIONS, TransitionRefused, check


def _step(
    context: AccessContext, meeting: Meeting, kind: MeetingEventKind, **parameters: Any
) -> MeetingEvent:
    """The step in the meeting's history (codes and ids, rendered when read) and its audit
    entry."""
    audit_record(
        context=context, action=AuditAction.CHANGE, objects=[meeting], purpose=f"meeting {kind}"
    )
    return MeetingEvent.objects.create(
        meeting=meeting,
        kind=kind,
        parameters=parameters,
        actor_id=context.actor.user_id,
        organisation_id=context.actor.organisation_id,
    )


@transaction.atomic
def meeting_plan(
    *,
    context: AccessContext,
    municipality: Municipality,
    meeting_type: str,
    scheduled_for: datetime,
    location: str = "",
    invited: list[Organisation],
    follow_up_of: Meeting | None = None,
) -> Meeting:
    """The netwerkregisseur plans a meeting and invites organisations of the region."""
    if not meeting_policy.can(context.actor, Action.CREATE):
        raise PermissionDenied
    if municipality.pk != context.actor.municipality_id:
        raise PermissionDenied
    if meeting_type not in MeetingType.values:
        raise ValidationError(_("Choose the type of meeting."))
    if any(o.region_id != municipality.region_id for o in invited):
        raise ValidationError(_("Only organisations of the region can be invited."))
    meeting = Meeting.objects.create(
        municipality=municipality,
        meeting_type=meeting_type,
        scheduled_for=scheduled_for,
        location=location.strip(),
        follow_up_of=follow_up_of,
        created_by_id=context.user_id(),
    )
    # The organiser's own organisation is always invited.
    meeting.invited.set({*(o.pk for o in invited), context.organisation_id()})
    _step(context, meeting, MeetingEventKind.PLANNED)
    return meeting


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda.aggregate(Max("position"))["position__max"] or 0) + 1


def _agenda_candidates(meeting: Meeting) -> tuple[list[Signal], list[Case]]:
    """What belongs on the agenda: for a case meeting, the signals routed to it that are not
    decided yet or are due for their re-check, and the open cases; for a RIEC meeting, the open
    cases with a perpetrator intervention under way."""
    cases = Case.objects.filter(municipality=meeting.municipality, status=CaseStatus.OPEN)
    if meeting.meeting_type == MeetingType.CASE_MEETING:
        last = AgendaItem.objects.filter(signal=OuterRef("pk")).exclude(triage_decision="")
        last = last.order_by("-decided_at")
        signals: list[Signal] = list(
            Signal.objects.filter(
                municipality=meeting.municipality,
                status=SignalStatus.ROUTED,
                routing=Routing.CASE_MEETING,
            )
            .annotate(
                last_decision=Subquery(last.values("triage_decision")[:1]),
                recheck_on=Subquery(last.values("recheck_on")[:1]),
            )
            # Not decided yet, or monitored and due for its re-check by the meeting's date.
            .filter(
                Q(last_decision__isnull=True)
                | Q(
                    last_decision=TriageDecision.MONITOR,
                    recheck_on__lte=meeting.scheduled_for.date(),
                )
            )
            # A signal that is part of an open case is discussed with its case.
            .exclude(cases__status=CaseStatus.OPEN)
            .order_by("routed_at")
        )
        return signals, list(cases.order_by("created_at"))
    if meeting.meeting_type == MeetingType.RIEC_MEETING:
        active = cases.filter(
            interventions__status__in=(
                InterventionStatus.PROPOSED,
                InterventionStatus.ACKNOWLEDGED,
                InterventionStatus.EXECUTED,
            )
        )
        return [], list(active.distinct().order_by("created_at"))
    return [], []


@transaction.atomic
def meeting_build_agenda(*, context: AccessContext, meeting: Meeting) -> int:
    """Add what belongs on the agenda and is not on it yet; returns how many items were added."""
    meeting = meeting_access(context, meeting, MeetingAction.EDIT_AGENDA, lock=True)
    signals, cases = _agenda_candidates(meeting)
    present_signals = set(meeting.agenda.values_list("signal_id", flat=True))
    present_cases = set(meeting.agenda.values_list("case_id", flat=True))
    position = _next_position(meeting)
    added = 0
    for signal in signals:
        if signal.pk not in present_signals:
            AgendaItem.objects.create(meeting=meeting, position=position, signal=signal)
            position, added = position + 1, added + 1
    for case in cases:
        if case.pk not in present_cases:
            AgendaItem.objects.create(meeting=meeting, position=position, case=case)
            position, added = position + 1, added + 1
    _step(context, meeting, MeetingEventKind.AGENDA_BUILT, added=added)
    return added


@transaction.atomic
def agenda_add_topic(*, context: AccessContext, meeting: Meeting, topic: str) -> AgendaItem:
    """A general item (trends, evaluating an inspection, figures): no personal data."""
    meeting = meeting_access(context, meeting, MeetingAction.EDIT_AGENDA, lock=True)
    topic = reason_text(topic, message=_("Name the topic."))
    item = AgendaItem.objects.create(
        meeting=meeting, position=_next_position(meeting), topic=topic[:200]
    )
    _step(context, meeting, MeetingEventKind.TOPIC_ADDED, item=item.position)
    return item


def _move(
    context: AccessContext, meeting: Meeting, action: MeetingAction, target: MeetingStatus
) -> Meeting:
    meeting = meeting_access(context, meeting, action, lock=True)
    if target == MeetingStatus.HELD and timezone.localdate() < timezone.localdate(
        meeting.scheduled_for
    ):
        raise TransitionRefused(
            _("A meeting is held on its day, not before: this one is planned for %(day)s.")
            % {"day": f"{timezone.localtime(meeting.scheduled_for):%d-%m-%Y}"}
        )
    check(MEETING_TRANSITIONS, meeting.status, target)
    meeting.status = target
    meeting.version += 1
    meeting.save(update_fields=["status", "version", "updated_at"])
    _step(context, meeting, MeetingEventKind(target))
    return meeting


@transaction.atomic
def meeting_open_minutes(*, context: AccessContext, meeting: Meeting) -> Meeting:
    """The meeting takes place (on its planned day or later): from now on who is present and
    what is decided can be recorded."""
    return _move(context, meeting, MeetingAction.HOLD, MeetingStatus.HELD)


@transaction.atomic
def meeting_finalise(*, context: AccessContext, meeting: Meeting) -> Meeting:
    """The minutes are final: nothing on this meeting changes any more. A signal that was not
    decided stays for the next meeting."""
    meeting = _move(context, meeting, MeetingAction.FINALISE, MeetingStatus.CLOSED)
    drafts.drafts_drop(*meeting.agenda.all())  # nobody finishes minutes that are final
    return meeting


@transaction.atomic
def meeting_record_attendance(
    *, context: AccessContext, meeting: Meeting, present: Iterable[Membership]
) -> list[Attendance]:
    """Who is present, each in the membership they attend for: people of the invited
    organisations. Replaces the earlier record; decisions already taken keep whom they named."""
    meeting = meeting_access(context, meeting, MeetingAction.RECORD_ATTENDANCE, lock=True)
    chosen = list(present)
    invited = set(meeting.invited.values_list("pk", flat=True))
    allowed = set(meeting_policy.who_may(MeetingAction.VIEW, meeting).values_list("pk", flat=True))
    if any(m.pk not in allowed or m.organisation_id not in invited for m in chosen):
        raise ValidationError(
            _("Only people of the invited organisations can be recorded as present.")
        )
    Attendance.objects.filter(meeting=meeting).exclude(membership__in=chosen).delete()
    known = set(Attendance.objects.filter(meeting=meeting).values_list("membership_id", flat=True))
    for membership in chosen:
        if membership.pk not in known:
            Attendance.objects.create(
                meeting=meeting, membership=membership, recorded_by_id=context.user_id()
            )
    _step(context, meeting, MeetingEventKind.ATTENDANCE, present=len(chosen))
    return list(Attendance.objects.filter(meeting=meeting))


@transaction.atomic
def item_record_minutes(
    *, context: AccessContext, item: AgendaItem, discussion: str, decisions: str, version: int
) -> AgendaItem:
    """What was discussed and decided; refused when someone else changed the minutes since the
    form was opened (the meeting's version), so that nobody's text is overwritten."""
    meeting = meeting_access(context, item.meeting_id, MeetingAction.RECORD_MINUTES, lock=True)
    if version != meeting.version:
        raise ConflictError(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk, meeting=meeting)
    item.discussion, item.decisions = discussion.strip(), decisions.strip()
    item.save(update_fields=["discussion", "decisions"])
    meeting.version += 1
    meeting.save(update_fields=["version", "updated_at"])
    _step(context, meeting, MeetingEventKind.MINUTES, item=item.position)
    return item


MINUTES_DRAFT = "minutes"


def minutes_draft_save(
    *, context: AccessContext, item: AgendaItem, data: Mapping[str, Any]
) -> Draft:
    """Half-written minutes of an item, kept encrypted for their author only, while they may
    write the minutes; they go when the minutes are saved or made final."""
    meeting = meeting_access(context, item.meeting_id, MeetingAction.RECORD_MINUTES)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    return drafts.draft_keep(context=context, form=MINUTES_DRAFT, data=data, owner=item)


class ConflictError(Exception):
    """The record changed since the user's form was opened."""

    def __init__(self, meeting: Meeting) -> None:
        self.version = meeting.version
        super().__init__(
            _(
                "Someone else changed these minutes at %(time)s. Your text is kept below: "
                "compare it with the current minutes and save again."
            )
            % {"time": timezone.localtime(meeting.updated_at).strftime("%H:%M")}
        )


# Both read through .all(), so that an agenda prefetched in one go is not queried per item.


def signal_picture(signal: Signal) -> intake_selectors.GroupPicture:
    """The signal with the signals linked to it: the assessment framework advises on the group,
    each indicator counted once (catalogue/facts.py)."""
    return intake_selectors.group_picture(signal, intake_selectors.group_members(signal))


def minor_recorded(signal: Signal) -> bool:
    return any(
        person.approximate_age is not None and person.approximate_age < 18
        for person in signal.persons.all()
    )


@transaction.atomic
def triage_decide(
    *,
    context: AccessContext,
    item: AgendaItem,
    decision: str,
    deviation_reason: str = "",
    recheck_on: date | None = None,
    acute_danger: bool = False,
    minor_involved: bool = False,
    safety_risk_high: bool = False,
) -> AgendaItem:
    """The case meeting decides on a signal with the assessment framework's advice beside it.
    A decision that differs from the advice needs a reason; monitoring needs a re-check date; a
    care or perpetrator track opens a case (Veilig Thuis directs when the safety risk is high)."""
    meeting = meeting_access(context, item.meeting_id, MeetingAction.TRIAGE, lock=True)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk, meeting=meeting)
    if meeting.meeting_type != MeetingType.CASE_MEETING or item.signal is None:
        raise TransitionRefused(_("Signals are triaged in the case meeting (VCO)."))
    if item.triage_decision:
        raise TransitionRefused(_("This signal was already decided in this meeting."))
    if decision not in TriageDecision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    signal = item.signal
    counted = signal_picture(signal).group
    hard, soft = counted.hard, counted.soft
    advice = advise(hard=hard, soft=soft, threshold=meeting.municipality.assessment_hard_threshold)
    errors = {}
    deviation_reason = clean_text(deviation_reason)
    if deviates(advice, TriageDecision(decision)) and not has_reason(deviation_reason):
        errors["deviation_reason"] = _(
            "The decision differs from the advice of the assessment framework: say why."
        )
    if decision == TriageDecision.MONITOR and (
        recheck_on is None or recheck_on <= timezone.localdate()
    ):
        errors["recheck_on"] = _("Monitoring needs a re-check date in the future.")
    if errors:
        raise ValidationError(errors)
    item.hard_count, item.soft_count, item.advice = hard, soft, advice
    item.triage_decision = decision
    item.deviation_reason = deviation_reason
    item.recheck_on = recheck_on if decision == TriageDecision.MONITOR else None
    item.acute_danger, item.minor_involved = acute_danger, minor_involved or minor_recorded(signal)
    item.safety_risk_high = safety_risk_high
    item.decided_by_id = context.actor.user_id
    item.decided_at = timezone.now()
    item.save()
    intake_services.signal_record_triage(
        context=context,
        signal=signal,
        decision=decision,
        meeting=meeting.pk,
        deviates=deviates(advice, TriageDecision(decision)),
        deviation_reason=item.deviation_reason,
    )
    if decision in OPENS_CASE:
        item.case = _open_working_case(context, meeting, item, TriageDecision(decision))
        item.save(update_fields=["case"])
    _step(
        context,
        meeting,
        MeetingEventKind.TRIAGED,
        item=item.position,
        signal=signal.reference,
        decision=decision,
    )
    return item


@transaction.atomic
def meeting_plan_follow_up(
    *, context: AccessContext, meeting: Meeting, scheduled_for: datetime
) -> Meeting:
    """Plan the next meeting with the same organisations; open cases and the signals that were
    not decided come back on its agenda."""
    meeting = meeting_access(context, meeting, MeetingAction.PLAN_FOLLOW_UP, lock=True)
    if scheduled_for <= meeting.scheduled_for:
        raise ValidationError(_("The follow-up meeting comes after this one."))
    follow_up = meeting_plan(
        context=context,
        municipality=meeting.municipality,
        meeting_type=meeting.meeting_type,
        scheduled_for=scheduled_for,
        location=meeting.location,
        invited=list(meeting.invited.all()),
        follow_up_of=meeting,
    )
    meeting_build_agenda(context=context, meeting=follow_up)
    return follow_up


# --- The case a triage opens ------------------------------------------------------------------


def track_joiners(
    meeting: Meeting, decision: TriageDecision, *, safety_risk_high: bool
) -> set[int]:
    """The invited organisations the track brings into the case: the zorgcoördinator for care
    (and Veilig Thuis when it takes direction at a high safety risk), AVIM and the perpetrator
    side recorded present for the perpetrator track; both for both."""
    roles: set[str] = set()
    if decision in CARE_TRACK:
        roles.add(Role.ZORGCOORDINATOR)
        if safety_risk_high:
            roles.add(Role.VEILIG_THUIS)
    if decision in PERPETRATOR_TRACK:
        roles.add(Role.AVIM)
    joiners = organisations_holding(
        organisation_ids=meeting.invited.values_list("pk", flat=True), roles=roles
    )
    if decision in PERPETRATOR_TRACK:
        joiners |= {
            p.organisation_id
            for p in present_at(meeting)
            if p.role in roles_with(Capability.PERPETRATOR_SIDE)
        }
    return joiners


def _open_working_case(
    context: AccessContext, meeting: Meeting, item: AgendaItem, decision: TriageDecision
) -> Case:
    """Open the case with the signal and the signals linked to it, and bring in the partners of
    the track on the covenant that covers the meeting: a case nobody else sees helps no one."""
    signal = item.signal
    if signal is None:
        raise TransitionRefused(_("Signals are triaged in the case meeting (VCO)."))
    signals = [signal, *intake_selectors.linked_signals(context, signal)]
    case = case_services.case_open(context=context, signals=signals)
    covered = covered_organisations(
        organisation_ids=track_joiners(meeting, decision, safety_risk_high=item.safety_risk_high),
        region_id=meeting.municipality.region_id,
        meeting_type=MeetingType.CASE_MEETING,
        on=timezone.localdate(),
    )
    reason = _("Triage in the case meeting of %(date)s: %(track)s") % {
        "date": f"{timezone.localtime(meeting.scheduled_for):%d-%m-%Y}",
        "track": TriageDecision(decision).label,
    }
    for organisation in Organisation.objects.filter(pk__in=covered).order_by("name"):
        if organisation.pk != context.actor.organisation_id:
            case_services.case_add_participant(
                context=context,
                case=case,
                organisation=organisation,
                legal_basis=LegalBasis.COVENANT,
                justification=reason,
            )
    if item.safety_risk_high and decision in CARE_TRACK:
        case_services.case_set_direction(
            context=context,
            case=case,
            holder=DirectionHolder.VEILIG_THUIS,
            reason=_("High safety risk, decided in the case meeting of %(date)s")
            % {"date": f"{timezone.localtime(meeting.scheduled_for):%d-%m-%Y}"},
        )
    case.refresh_from_db()
    return case
