"""Reading meetings: the agenda and minutes as the viewer may see them.

Personal data (names, dates of birth, the signal's description and place, the case's situation,
the discussion and decisions in the minutes) is shown only when `meeting_policy.reveals_personal_
data` says so; everyone else sees each item with pseudonyms. Every view that reveals personal data
is audited with the persons concerned.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.cases.choices import InterventionStatus, ProposalStatus
from schakel.cases.models import Case, Intervention, Proposal
from schakel.cases.selectors import (
    InterventionShown,
    ProposalShown,
    intervention_shown,
    proposal_shown,
)
from schakel.core.context import AccessContext
from schakel.core.pagination import Page, Pager, first_page
from schakel.core.policies import Action
from schakel.core.pseudonyms import numbered, pseudonym
from schakel.core.redaction import Redactor
from schakel.core.sorting import Sorting, SortKey, in_order_of
from schakel.intake.models import Signal
from schakel.intake.nationality import nationality_shown
from schakel.intake.selectors import GroupPicture
from schakel.organisations.choices import MeetingType
from schakel.organisations.models import Membership, Organisation
from schakel.organisations.roles import Capability, municipalities_with
from schakel.organisations.selectors import covered_organisations

from .assessment import Warning, advise, warnings_for
from .attendance import Present, present_at, quorum_refusal
from .choices import Advice, MeetingStatus, TriageDecision
from .models import AgendaItem, Meeting
from .policies import MeetingAction, MeetingRelation, meeting_policy
from .services import minor_recorded, signal_picture


@dataclass(frozen=True)
class PersonRow:
    label: str
    role: str
    name: str = ""
    date_of_birth: str = ""
    nationality: str = ""


@dataclass(frozen=True)
class AgendaItemShown:
    """An agenda item as the viewer may read it: its free text redacted by the same redactor
    as the rest of the row. Which fields a viewer outside the covenant sees at all is the
    templates' rule (the description, the minutes of a signal or case, the deviation)."""

    pk: int
    signal_id: int | None
    case_id: int | None
    case_reference: str
    topic: str
    triage_decision: str
    triage_decision_label: str
    recheck_on: date | None
    deviation_reason: str
    discussion: str
    decisions: str


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItemShown
    title: str
    persons: list[PersonRow] = field(default_factory=list)
    description: str = ""
    hard: int = 0  # what the advice counts: the signal with the signals linked to it
    soft: int = 0
    picture: GroupPicture | None = None  # the linked signals, their indicators, the signal alone
    advice: Advice | None = None
    warnings: list[Warning] = field(default_factory=list)
    proposals: list[ProposalShown] = field(default_factory=list)
    interventions: list[InterventionShown] = field(default_factory=list)


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    reveals: bool
    organises: bool
    allowed: frozenset[MeetingAction]
    rows: list[AgendaRow]
    covered: list[Organisation]
    not_covered: list[Organisation]
    present: list[Present]
    # For a case meeting: what is missing for its decisions, or None when the quorum is there.
    quorum: str | None


def meetings_visible_to(context: AccessContext) -> QuerySet[Meeting]:
    return (
        meeting_policy.visible_to(context.actor)
        .select_related("municipality")
        .order_by("-scheduled_for")
    )


class MeetingPeriod(StrEnum):
    UPCOMING = "upcoming"
    THIS_WEEK = "this_week"
    PAST = "past"


@dataclass(frozen=True)
class MeetingQuery:
    """What the meeting list is narrowed to and sorted by (the filter form builds it)."""

    meeting_type: str = ""
    period: str = ""
    sort: str = ""


MEETING_SORTING = Sorting(
    keys={
        "date": SortKey(gettext_lazy("Date and time"), ("scheduled_for",)),
        "type": SortKey(gettext_lazy("Type"), ("meeting_type", "-scheduled_for")),
        "status": SortKey(
            gettext_lazy("Status"), (in_order_of("status", MeetingStatus.values), "-scheduled_for")
        ),
    },
    default="-date",
)


def _period_q(period: str, today: date) -> Q:
    def start(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, datetime.min.time()))

    if period == MeetingPeriod.UPCOMING:
        return Q(scheduled_for__gte=start(today))
    if period == MeetingPeriod.PAST:
        return Q(scheduled_for__lt=start(today))
    if period == MeetingPeriod.THIS_WEEK:
        monday = today - timedelta(days=today.weekday())
        return Q(scheduled_for__gte=start(monday), scheduled_for__lt=start(monday + timedelta(7)))
    return Q()


def meeting_list(
    context: AccessContext, query: MeetingQuery = MeetingQuery(), *, pager: Pager = first_page
) -> Page[Meeting]:
    """A page of the meetings the actor sees (no personal data: dates, types, municipalities)."""
    meetings = meetings_visible_to(context)
    if query.meeting_type in MeetingType.values:
        meetings = meetings.filter(meeting_type=query.meeting_type)
    meetings = meetings.filter(_period_q(query.period, timezone.localdate()))
    return pager(MEETING_SORTING.apply(meetings, query.sort))


def meeting_get_for(context: AccessContext, pk: int) -> Meeting:
    try:
        return meetings_visible_to(context).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _item_shown(item: AgendaItem, redact: Redactor) -> AgendaItemShown:
    return AgendaItemShown(
        pk=item.pk,
        signal_id=item.signal_id,
        case_id=item.case_id,
        case_reference=item.case.reference if item.case else "",
        topic=redact(item.topic),
        triage_decision=item.triage_decision,
        triage_decision_label=str(item.get_triage_decision_display())
        if item.triage_decision
        else "",
        recheck_on=item.recheck_on,
        deviation_reason=redact(item.deviation_reason),
        discussion=redact(item.discussion),
        decisions=redact(item.decisions),
    )


def _signal_pseudonyms(signal: Signal) -> list[tuple[Any, str]]:
    """The signal's persons with the pseudonym each has on the agenda."""
    persons = list(signal.persons.all())
    return [
        (p, pseudonym(p.role, n))
        for p, n in zip(persons, numbered([p.role for p in persons]), strict=True)
    ]


def _redactor(item: AgendaItem, reveals: bool, everyone: list[tuple[str, str]]) -> Redactor:
    """Names replaced by pseudonyms for a viewer outside the covenant: the persons of the
    item's signal and of its case, or for a topic of its own every person on the agenda."""
    if reveals:
        return Redactor.none()
    if item.signal or item.case:
        return Redactor.for_persons(_persons_of(item))
    return Redactor.for_persons(everyone)


def _persons_of(item: AgendaItem) -> list[tuple[str, str]]:
    """(name, pseudonym) of the persons of the item's signal and case."""
    pairs: list[tuple[str, str]] = []
    if item.signal:
        pairs.extend((p.name, label) for p, label in _signal_pseudonyms(item.signal))
    if item.case:
        pairs.extend((p.name, p.pseudonym) for p in item.case.persons.all())
    return pairs


def _signal_row(item: AgendaItem, signal: Signal, reveals: bool, redact: Redactor) -> AgendaRow:
    rows = [
        PersonRow(
            label=label,
            role=p.get_role_display(),
            name=p.name if reveals else "",
            date_of_birth=p.date_of_birth if reveals else "",
            nationality=nationality_shown(p.nationality_country, p.nationality) if reveals else "",
        )
        for p, label in _signal_pseudonyms(signal)
    ]
    picture = signal_picture(signal)
    hard, soft = picture.group.hard, picture.group.soft
    advice = Advice(item.advice) if item.advice else None
    if advice is None:
        advice = advise(
            hard=hard, soft=soft, threshold=item.meeting.municipality.assessment_hard_threshold
        )
    return AgendaRow(
        item=_item_shown(item, redact),
        title=_("Signal %(reference)s") % {"reference": signal.reference},
        persons=rows,
        description=f"{signal.place}\n{signal.description}" if reveals else "",
        hard=item.hard_count if item.hard_count is not None else hard,
        soft=item.soft_count if item.soft_count is not None else soft,
        picture=picture,
        advice=advice,
        warnings=warnings_for(
            acute_danger=item.acute_danger,
            minor_involved=item.minor_involved or minor_recorded(signal),
            # Every signal routed to the case meeting concerns a possible victim, named or not.
            possible_victim=True,
        ),
    )


def _case_row(item: AgendaItem, case: Case, reveals: bool, redact: Redactor) -> AgendaRow:
    return AgendaRow(
        item=_item_shown(item, redact),
        title=_("Case %(reference)s") % {"reference": case.reference},
        persons=[
            PersonRow(
                label=p.pseudonym,
                role=p.get_role_display(),
                name=p.name if reveals else "",
                date_of_birth=p.date_of_birth if reveals else "",
                nationality=nationality_shown(p.nationality_country, p.nationality)
                if reveals
                else "",
            )
            for p in case.persons.all()
        ],
        description=case.summary if reveals else "",
    )


def _row(item: AgendaItem, reveals: bool, everyone: list[tuple[str, str]]) -> AgendaRow:
    redact = _redactor(item, reveals, everyone)
    if item.signal:
        row = _signal_row(item, item.signal, reveals, redact)
    elif item.case:
        row = _case_row(item, item.case, reveals, redact)
    else:
        return AgendaRow(item=_item_shown(item, redact), title=redact(item.topic))
    if item.case:
        # A case on the agenda (also one just opened from a triaged signal) brings what waits
        # for this meeting: big decisions and interventions for the care side.
        row = replace(
            row,
            proposals=[
                proposal_shown(p, redact)
                for p in item.case.pending_proposals  # type: ignore[attr-defined]
            ],
            interventions=[
                intervention_shown(i, redact)
                for i in item.case.proposed_interventions  # type: ignore[attr-defined]
            ],
        )
    return row


def meeting_view(context: AccessContext, pk: int, *, purpose: str) -> MeetingView:
    meeting = meeting_get_for(context, pk)
    relations = meeting_policy.relations(context.actor, meeting)
    allowed = meeting_policy.actions_for(context.actor, meeting, relations)
    reveals = MeetingAction.SEE_PERSONAL_DATA in allowed
    items = list(
        meeting.agenda.select_related("signal", "case", "meeting__municipality").prefetch_related(
            "signal__persons",
            "signal__indicators",
            "signal__added_indicators",
            "case__persons",
            Prefetch(
                "case__proposals",
                queryset=Proposal.objects.filter(status=ProposalStatus.PENDING).select_related(
                    "municipal_decision"
                ),
                to_attr="pending_proposals",
            ),
            Prefetch(
                "case__interventions",
                queryset=Intervention.objects.filter(status=InterventionStatus.PROPOSED),
                to_attr="proposed_interventions",
            ),
        )
    )
    everyone = [] if reveals else [pair for item in items for pair in _persons_of(item)]
    rows = [_row(item, reveals, everyone) for item in items]
    invited = list(meeting.invited.order_by("name"))
    covered_ids = covered_organisations(
        organisation_ids=[o.pk for o in invited],
        region_id=meeting.municipality.region_id,
        meeting_type=meeting.meeting_type,
        on=meeting.scheduled_for.date(),
    )
    if reveals:
        subjects: list[Any] = []
        for item in items:
            if item.signal:
                subjects.extend(item.signal.persons.all())
            if item.case:
                subjects.extend(item.case.persons.all())
        audit_record(
            context=context,
            action=AuditAction.EXPORT if purpose == "pdf" else AuditAction.READ,
            objects=[meeting],
            fields=("agenda", "minutes", "persons"),
            purpose=f"meeting {purpose}",
            subjects=subjects,
        )
    present = present_at(meeting)
    return MeetingView(
        meeting=meeting,
        reveals=reveals,
        organises=MeetingRelation.ORGANISER in relations,
        allowed=allowed,
        rows=rows,
        covered=[o for o in invited if o.pk in covered_ids],
        not_covered=[o for o in invited if o.pk not in covered_ids],
        present=present,
        quorum=quorum_refusal(meeting, present)
        if meeting.meeting_type == MeetingType.CASE_MEETING
        else None,
    )


def attendance_candidates(context: AccessContext, meeting: Meeting) -> list[Membership]:
    """The people who can be recorded present: members of the invited organisations in a role
    that takes part in meetings (colleagues' names and roles, no case data)."""
    if not meeting_policy.can(context.actor, MeetingAction.RECORD_ATTENDANCE, meeting):
        return []
    return list(
        meeting_policy.who_may(MeetingAction.VIEW, meeting)
        .filter(organisation__in=meeting.invited.values("pk"))
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )


def rechecks_due_set(context: AccessContext, *, within_days: int = 14) -> QuerySet[AgendaItem]:
    """Signals the case meeting decided to monitor, whose re-check date is near or past and that
    no later meeting decided again: for the netwerkregisseur's work queue, the earliest date
    first."""
    municipalities = municipalities_with(context.actor, Capability.DIRECT)
    if not municipalities:
        return AgendaItem.objects.none()
    horizon = timezone.localdate() + timedelta(days=within_days)
    decided_later = AgendaItem.objects.filter(
        signal=OuterRef("signal"), decided_at__gt=OuterRef("decided_at")
    ).exclude(triage_decision="")
    return (
        AgendaItem.objects.filter(
            triage_decision=TriageDecision.MONITOR,
            recheck_on__lte=horizon,
            signal__municipality__in=municipalities,
        )
        .exclude(Exists(decided_later))
        .select_related("signal", "meeting")
        .order_by("recheck_on", "pk")
    )


def rechecks_due(context: AccessContext, *, within_days: int = 14) -> list[AgendaItem]:
    return list(rechecks_due_set(context, within_days=within_days))


def meetings_this_week(context: AccessContext, today: date | None = None) -> int:
    """How many meetings the actor sees fall in this calendar week (Monday to Sunday), for the
    start page: a number, one query, not audited."""
    if not meeting_policy.can(context.actor, Action.LIST):
        return 0
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    start = timezone.make_aware(datetime.combine(monday, datetime.min.time()))
    return (
        meeting_policy.visible_to(context.actor)
        .filter(scheduled_for__gte=start, scheduled_for__lt=start + timedelta(days=7))
        .count()
    )
