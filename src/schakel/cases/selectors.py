"""Every read of cases goes through here: filtered by the policy in the database, 404 for
missing and forbidden alike, audited. Persons are shown by name only where
`case_policy.reveals_personal_data` says so; everywhere else by pseudonym."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core import drafts
from schakel.core.context import AccessContext
from schakel.core.crypto import blind_index
from schakel.core.events import EventShown
from schakel.core.models import Draft
from schakel.core.pagination import Page, Pager, first_page
from schakel.core.policies import Action
from schakel.core.redaction import Redactor
from schakel.core.sorting import Sorting, SortKey
from schakel.intake.choices import SignalStatus
from schakel.intake.models import Signal
from schakel.intake.nationality import nationality_shown
from schakel.intake.policies import signal_policy
from schakel.organisations.roles import Capability, municipalities_with, organisations_with

from .choices import (
    AgreementStatus,
    CaseStatus,
    DirectionHolder,
    InterventionStatus,
    PersonOutcome,
    ProposalStatus,
    ReferralStatus,
)
from .events import case_events
from .models import (
    Agreement,
    Case,
    CaseParticipant,
    CasePerson,
    CasePersonOutcome,
    Intervention,
    Proposal,
    Referral,
    TimelineEntry,
)
from .policies import (
    CaseAction,
    CaseRelation,
    case_policy,
    victim_registration_policy,
)
from .services import NAME_INDEX


def inactivity_cutoff() -> datetime:
    days: int = getattr(settings, "SCHAKEL_CASE_INACTIVITY_DAYS", 28)
    return timezone.now() - timedelta(days=days)


def is_inactive(case: Case) -> bool:
    """An open case without timeline activity for SCHAKEL_CASE_INACTIVITY_DAYS."""
    last = case.last_activity_at or case.created_at
    return case.status == CaseStatus.OPEN and last < inactivity_cutoff()


def _inactive_q() -> Q:
    cutoff = inactivity_cutoff()
    return Q(status=CaseStatus.OPEN) & (
        Q(last_activity_at__lt=cutoff) | Q(last_activity_at__isnull=True, created_at__lt=cutoff)
    )


def cases_visible_to(context: AccessContext) -> QuerySet[Case]:
    return case_policy.visible_to(context.actor)


@dataclass(frozen=True)
class CaseRow:
    case: Case
    inactive: bool
    overdue_agreements: int


@dataclass(frozen=True)
class CaseQuery:
    """What the case list is narrowed to and sorted by (the filter form builds it). Filters only
    narrow what the policy lets the actor see."""

    status: str = CaseStatus.OPEN
    holder: str = ""
    exploitation_form: str = ""
    overdue_agreements: bool = False
    sort: str = ""


CASE_SORTING = Sorting(
    keys={
        "opened": SortKey(gettext_lazy("Opened"), ("created_at",)),
        "reference": SortKey(gettext_lazy("Case number"), ("reference",)),
        "holder": SortKey(gettext_lazy("Direction holder"), ("direction_holder",)),
        "activity": SortKey(gettext_lazy("Last activity"), ("activity",)),
        "status": SortKey(gettext_lazy("Status"), ("status",)),
    },
    default="-opened",
)


def _overdue_agreements(today: date) -> QuerySet[Agreement]:
    return Agreement.objects.filter(
        case=OuterRef("pk"), status=AgreementStatus.OPEN, due_on__lt=today
    )


def case_list(
    context: AccessContext,
    query: CaseQuery = CaseQuery(),
    *,
    shared_only: bool = False,
    pager: Pager = first_page,
) -> Page[CaseRow]:
    """A page of the cases the actor sees, without persons; `shared_only` is 'Gedeeld met mij':
    cases the actor's organisation takes part in (not just those it directs). Only the rows
    shown are read, and audited."""
    if not case_policy.can(context.actor, Action.LIST):
        return pager(Case.objects.none().order_by("pk"))
    today = timezone.localdate()
    # The policy's rows are semi-joins (EXISTS): the page is sorted and counted on the case
    # table, without a DISTINCT over every visible case.
    cases = cases_visible_to(context)
    if query.holder in DirectionHolder.values:
        cases = cases.filter(direction_holder=query.holder)
    if query.status in CaseStatus.values:
        cases = cases.filter(status=query.status)
    if query.exploitation_form:
        cases = cases.filter(exploitation_forms__code=query.exploitation_form)
    if query.overdue_agreements:
        cases = cases.filter(Exists(_overdue_agreements(today)))
    if shared_only:
        mine = organisations_with(context.actor, Capability.WORK_CASES)
        cases = cases.filter(
            Exists(CaseParticipant.objects.filter(case=OuterRef("pk"), organisation__in=mine))
        ).exclude(municipality__in=municipalities_with(context.actor, Capability.DIRECT))
    page = pager(
        CASE_SORTING.apply(
            cases.annotate(activity=Coalesce("last_activity_at", "created_at"))
            .select_related("municipality")
            .prefetch_related("exploitation_forms"),
            query.sort,
        )
    )
    # The overdue agreements of the rows shown, counted in one query.
    overdue = dict(
        Agreement.objects.filter(case__in=page.items, status=AgreementStatus.OPEN, due_on__lt=today)
        .values("case")
        .annotate(n=Count("pk"))
        .values_list("case", "n")
    )
    if page.items:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=page.items,
            fields=("reference", "municipality", "direction_holder", "status", "last_activity_at"),
            purpose="case list",
        )
    return replace(
        page, items=[CaseRow(c, is_inactive(c), overdue.get(c.pk, 0)) for c in page.items]
    )


def case_get_for(context: AccessContext, reference: str) -> Case:
    """The case if the actor may see it; 404 for missing and forbidden alike."""
    try:
        return (
            cases_visible_to(context)
            .select_related("municipality")
            .prefetch_related("exploitation_forms")
            .get(reference=reference)
        )
    except Case.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class PersonShown:
    """A person as this viewer may see them: identifying fields only when revealed."""

    pk: int
    pseudonym: str
    role: str
    role_label: str
    name: str | None
    date_of_birth: str | None
    nationality: str | None
    sex_label: str | None
    outcomes: list[str]
    outcome_labels: list[str]
    same_as_case: str | None


# --- Read models: what a screen shows of a case's rows, free text redacted for the viewer. The
# model instances are never changed for display.


@dataclass(frozen=True)
class ParticipantShown:
    pk: int
    organisation_id: int
    organisation: str
    legal_basis: str
    legal_basis_label: str
    justification: str
    added_at: datetime


@dataclass(frozen=True)
class AgreementShown:
    pk: int
    case_reference: str
    text: str
    owner: str
    due_on: date
    status: str
    status_label: str
    overdue: bool


@dataclass(frozen=True)
class ReferralShown:
    pk: int
    case_reference: str
    from_organisation: str
    to_organisation: str
    reason: str
    answer: str
    status: str
    status_label: str


@dataclass(frozen=True)
class InterventionShown:
    pk: int
    case_reference: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    description: str
    outcome: str
    urgent_override_reason: str


@dataclass(frozen=True)
class ProposalShown:
    pk: int
    case_reference: str
    label: str
    status: str
    status_label: str
    text: str
    decision_note: str


def participant_shown(participant: CaseParticipant, redact: Redactor) -> ParticipantShown:
    return ParticipantShown(
        pk=participant.pk,
        organisation_id=participant.organisation_id,
        organisation=str(participant.organisation),
        legal_basis=participant.legal_basis,
        legal_basis_label=str(participant.get_legal_basis_display()),
        justification=redact(participant.justification),
        added_at=participant.added_at,
    )


def agreement_shown(agreement: Agreement, redact: Redactor, today: date) -> AgreementShown:
    return AgreementShown(
        pk=agreement.pk,
        case_reference=agreement.case.reference,
        text=redact(agreement.text),
        owner=str(agreement.owner),
        due_on=agreement.due_on,
        status=agreement.status,
        status_label=str(agreement.get_status_display()),
        overdue=agreement.status == AgreementStatus.OPEN and agreement.due_on < today,
    )


def referral_shown(referral: Referral, redact: Redactor) -> ReferralShown:
    return ReferralShown(
        pk=referral.pk,
        case_reference=referral.case.reference,
        from_organisation=str(referral.from_organisation),
        to_organisation=str(referral.to_organisation),
        reason=redact(referral.reason),
        answer=redact(referral.answer),
        status=referral.status,
        status_label=str(referral.get_status_display()),
    )


def intervention_shown(intervention: Intervention, redact: Redactor) -> InterventionShown:
    return InterventionShown(
        pk=intervention.pk,
        case_reference=intervention.case.reference,
        kind=intervention.kind,
        kind_label=str(intervention.get_kind_display()),
        status=intervention.status,
        status_label=str(intervention.get_status_display()),
        description=redact(intervention.description),
        outcome=redact(intervention.outcome),
        urgent_override_reason=redact(intervention.urgent_override_reason),
    )


def proposal_shown(proposal: Proposal, redact: Redactor) -> ProposalShown:
    return ProposalShown(
        pk=proposal.pk,
        case_reference=proposal.case.reference,
        label=proposal.label,
        status=proposal.status,
        status_label=str(proposal.get_status_display()),
        text=redact(proposal.text),
        decision_note=redact(proposal.decision_note),
    )


@dataclass(frozen=True)
class CaseView:
    case: Case
    reveals: bool
    directs: bool
    allowed: frozenset[CaseAction]
    # The rows the actor may act on: agreements to settle, referrals to answer or revoke.
    settleable: frozenset[int]
    answerable: frozenset[int]
    revocable: frozenset[int]
    inactive: bool
    persons: list[PersonShown]
    participants: list[ParticipantShown]
    signals: list[Signal]
    # The newest entries first, one page of them (`TIMELINE_PAGE`); `timeline_older` is the
    # cursor of the next page ("show earlier"), None when there is none.
    timeline: list[EventShown]
    agreements: list[AgreementShown]
    referrals: list[ReferralShown]
    interventions: list[InterventionShown]
    proposals: list[ProposalShown]
    summary: str
    suggest_veilig_thuis: bool
    my_organisations: frozenset[int] = field(default_factory=frozenset)
    timeline_older: int | None = None
    timeline_paged: bool = False  # this page starts before the newest entry


TIMELINE_PAGE = 50


def timeline_page(
    case: Case, redact: Redactor, before: int | None = None, size: int = TIMELINE_PAGE
) -> tuple[list[EventShown], int | None]:
    """One page of the case's timeline, newest first, strictly older than the entry `before`
    (a keyset cursor on recording time and id, so the page costs the same on entry 10 or
    10,000), with the cursor of the next page. An unknown cursor starts at the newest."""
    entries = case.timeline.select_related("actor", "organisation")
    if before is not None:
        start = case.timeline.filter(pk=before).values_list("occurred_at", flat=True).first()
        if start is not None:
            entries = entries.filter(Q(occurred_at__lt=start) | Q(occurred_at=start, pk__lt=before))
    rows = list(entries.order_by("-occurred_at", "-pk")[: size + 1])
    older = rows[size - 1].pk if len(rows) > size else None
    rows = rows[:size]
    shown = case_events.show(rows, redact)
    # A correction is newer than what it corrects, so it may sit on an earlier page.
    later: dict[int, list[int]] = {}
    for corrected, correction in case.timeline.filter(
        corrects__in=[row.pk for row in rows]
    ).values_list("corrects_id", "pk"):
        later.setdefault(corrected, []).append(correction)
    return [
        replace(item, corrections=tuple(sorted(later.get(item.pk, ())))) for item in shown
    ], older


def redactor_for(persons: Iterable[CasePerson]) -> Redactor:
    """The redactor of a case for viewers who see it pseudonymised: free text (summary,
    timeline, agreements …) is written by people who know the names."""
    return Redactor.for_persons((p.name, p.pseudonym) for p in persons)


def case_redactor(actor: Any, case: Case) -> Redactor:
    """`Redactor.none()` for an actor the case policy shows the persons to, else the case's."""
    if case_policy.reveals_personal_data(actor, case):
        return Redactor.none()
    return redactor_for(case.persons.all())


def _person_shown(person: CasePerson, reveals: bool, visible: set[int]) -> PersonShown:
    same_as = person.same_as.case.reference if person.same_as else None
    outcomes = list(person.outcomes.all())  # prefetched by the caller
    return PersonShown(
        pk=person.pk,
        pseudonym=person.pseudonym,
        role=person.role,
        role_label=str(person.get_role_display()),
        name=(person.name or "—") if reveals else None,
        date_of_birth=(person.date_of_birth or "—") if reveals else None,
        nationality=(nationality_shown(person.nationality_country, person.nationality) or "—")
        if reveals
        else None,
        sex_label=str(person.get_sex_display()) if reveals else None,
        outcomes=[o.outcome for o in outcomes],
        outcome_labels=[str(o.get_outcome_display()) for o in outcomes],
        same_as_case=same_as
        if reveals and person.same_as and person.same_as.case_id in visible
        else None,
    )


def case_view(context: AccessContext, case: Case, timeline_before: int | None = None) -> CaseView:
    """Everything on the case page, pseudonymised unless the policy reveals personal data. A
    read that shows personal data is audited with the persons as subjects."""
    actor = context.actor
    relations = case_policy.relations(actor, case)
    allowed = case_policy.actions_for(actor, case, relations)
    reveals = CaseAction.SEE_PERSONS in allowed
    persons = list(case.persons.select_related("same_as__case").prefetch_related("outcomes"))
    visible = set(cases_visible_to(context).values_list("pk", flat=True)) if reveals else set()
    redact = Redactor.none() if reveals else redactor_for(persons)
    timeline, timeline_older = timeline_page(case, redact, timeline_before)
    agreements = list(case.agreements.select_related("owner"))
    audit_record(
        context=context,
        action=AuditAction.READ,
        objects=[case],
        fields=("summary", "timeline", "persons") if reveals else ("summary", "timeline"),
        purpose="read case" if reveals else "read case (pseudonymised)",
        # Also a pseudonymised read is in the persons' access trail: their case was opened.
        subjects=persons,
    )
    referrals = list(case.referrals.select_related("from_organisation", "to_organisation"))
    today = timezone.localdate()

    def rows(action: CaseAction, objects: Iterable[Any]) -> frozenset[int]:
        return frozenset(
            o.pk for o in objects if case_policy.permits(actor, action, case, relations, o)
        )

    return CaseView(
        case=case,
        reveals=reveals,
        directs=CaseRelation.DIRECTOR in relations,
        allowed=allowed,
        settleable=rows(CaseAction.SETTLE_AGREEMENT, agreements),
        answerable=rows(CaseAction.ANSWER_REFERRAL, referrals),
        revocable=rows(CaseAction.REVOKE_REFERRAL, referrals),
        inactive=is_inactive(case),
        persons=[_person_shown(p, reveals, visible) for p in persons],
        participants=[
            participant_shown(p, redact) for p in case.participants.select_related("organisation")
        ],
        signals=list(case.signals.order_by("reported_at")),
        timeline=timeline,
        agreements=[agreement_shown(a, redact, today) for a in agreements],
        referrals=[referral_shown(r, redact) for r in referrals],
        interventions=[intervention_shown(i, redact) for i in case.interventions.order_by("pk")],
        proposals=[
            proposal_shown(p, redact)
            for p in case.proposals.select_related("municipal_decision").order_by("pk")
        ],
        summary=redact(case.summary),
        suggest_veilig_thuis=case.safety_risk_high
        and case.direction_holder == DirectionHolder.NETWORK_DIRECTOR,
        my_organisations=frozenset({actor.organisation_id})
        if actor.organisation_id
        else frozenset(),
        timeline_older=timeline_older,
        timeline_paged=timeline_before is not None,
    )


# --- Search before create ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonMatch:
    person: CasePerson
    case_reference: str
    same_date_of_birth: bool


def case_person_matches(
    context: AccessContext, case: Case, *, name: str, date_of_birth: str = ""
) -> list[PersonMatch]:
    """Persons with the same name (blind index of the normalised name) in cases the actor may
    see *by name*; never in cases they cannot see or see only pseudonymised. A match with the
    same date of birth comes first."""
    if not name.strip() or not case_policy.can(context.actor, CaseAction.ADD_PERSON, case):
        return []
    candidates = [
        c
        for c in cases_visible_to(context).filter(
            persons__name_index=blind_index(name, purpose=NAME_INDEX)
        )
        if case_policy.reveals_personal_data(context.actor, c)
    ]
    persons = list(
        CasePerson.objects.filter(
            case__in=candidates, name_index=blind_index(name, purpose=NAME_INDEX)
        ).select_related("case")
    )
    if not persons:
        return []
    audit_record(
        context=context,
        action=AuditAction.SEARCH,
        objects=[p.case for p in persons],
        fields=("name", "date_of_birth"),
        purpose="case person search before adding",
        subjects=persons,
    )
    wanted = date_of_birth.strip()
    matches = [
        PersonMatch(p, p.case.reference, bool(wanted) and p.date_of_birth.strip() == wanted)
        for p in persons
    ]
    return sorted(matches, key=lambda m: (not m.same_date_of_birth, m.case_reference))


def person_get_for(context: AccessContext, pk: int) -> CasePerson:
    """A person of a case the actor sees by name (for 'same as' links)."""
    try:
        person = CasePerson.objects.select_related("case").get(
            pk=pk, case__in=cases_visible_to(context)
        )
    except CasePerson.DoesNotExist:
        raise Http404 from None
    if not case_policy.reveals_personal_data(context.actor, person.case):
        raise Http404
    return person


# --- Objects of a case, for the action forms ---------------------------------------------------


def _of_case(queryset: QuerySet[Any], case: Case, pk: Any) -> Any:
    try:
        return queryset.get(case=case, pk=int(pk))
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def agreement_of(case: Case, pk: Any) -> Agreement:
    return _of_case(Agreement.objects.all(), case, pk)  # type: ignore[no-any-return]


def referral_of(case: Case, pk: Any) -> Referral:
    return _of_case(Referral.objects.all(), case, pk)  # type: ignore[no-any-return]


def intervention_of(case: Case, pk: Any) -> Intervention:
    return _of_case(Intervention.objects.all(), case, pk)  # type: ignore[no-any-return]


def entry_of(case: Case, pk: Any) -> TimelineEntry:
    return _of_case(TimelineEntry.objects.all(), case, pk)  # type: ignore[no-any-return]


def signals_to_open_a_case(context: AccessContext) -> list[Signal]:
    """Signals the AF routed to the case meeting (or is working on) that are in no case yet."""
    return list(
        signal_policy.visible_to(context.actor)
        .filter(
            municipality__in=signal_policy.receiving_municipalities(context.actor),
            status__in=(SignalStatus.IN_PROGRESS, SignalStatus.ROUTED),
            cases__isnull=True,
        )
        .order_by("-reported_at")
    )


# --- Work queues ------------------------------------------------------------------------------


# How far ahead an agreement counts as due on the start page.
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class CaseWorkSets:
    """What waits in cases for the actor or their organisation, as unevaluated querysets in
    the order of their deadlines: the start page counts them, 'Mijn acties' shows a slice."""

    agreements: QuerySet[Agreement]  # of my organisation, open
    overdue_directed: QuerySet[Agreement]  # overdue in cases I direct, of other organisations
    proposals: QuerySet[Proposal]  # big decisions waiting for the case meeting
    referrals: QuerySet[Referral]  # waiting for my organisation's answer
    interventions: QuerySet[Intervention]  # waiting for the care side's acknowledgement
    inactive: QuerySet[Case]  # my open cases without recent activity


def case_work_sets(context: AccessContext) -> CaseWorkSets:
    """Built once per context (the querysets are lazy: each kind of work and its count reads
    them), since building them costs more than running them."""
    if "case_work_sets" not in context.memo:
        context.memo["case_work_sets"] = _case_work_sets(context)
    sets: CaseWorkSets = context.memo["case_work_sets"]
    return sets


def _case_work_sets(context: AccessContext) -> CaseWorkSets:
    actor = context.actor
    if not case_policy.can(actor, Action.LIST):
        return CaseWorkSets(
            Agreement.objects.none(),
            Agreement.objects.none(),
            Proposal.objects.none(),
            Referral.objects.none(),
            Intervention.objects.none(),
            Case.objects.none(),
        )
    visible = cases_visible_to(context).filter(status=CaseStatus.OPEN)
    mine = organisations_with(actor, Capability.WORK_CASES)
    directing = municipalities_with(actor, Capability.DIRECT)
    care = organisations_with(actor, Capability.CARE_SIDE)
    today = timezone.localdate()
    directed = visible.filter(
        Q(
            municipality__in=directing,
            direction_holder__in=(DirectionHolder.NETWORK_DIRECTOR, DirectionHolder.ZVH),
        )
        | Q(direction_holder=DirectionHolder.VEILIG_THUIS, participants__organisation__in=care)
    )
    # A big decision waiting for the case meeting concerns the netwerkregisseur, the care side
    # of the case and the proposer's organisation.
    proposals = Proposal.objects.filter(
        Q(case__in=visible.filter(municipality__in=directing))
        | Q(case__in=visible.filter(participants__organisation__in=care))
        | Q(case__in=visible, proposed_by_organisation__in=mine),
        status=ProposalStatus.PENDING,
    )
    taking_part = visible.filter(
        Q(municipality__in=directing) | Q(participants__organisation__in=mine)
    )
    return CaseWorkSets(
        agreements=Agreement.objects.filter(
            case__in=visible, owner__in=mine, status=AgreementStatus.OPEN
        )
        .select_related("case", "owner")
        .prefetch_related("case__persons")
        .order_by("due_on", "pk"),
        overdue_directed=Agreement.objects.filter(
            case__in=directed, status=AgreementStatus.OPEN, due_on__lt=today
        )
        .exclude(owner__in=mine)
        .select_related("case", "owner")
        .prefetch_related("case__persons")
        .order_by("due_on", "pk"),
        # The subqueries may join a case's participants: select distinct ids, not rows.
        proposals=Proposal.objects.filter(pk__in=proposals.values("pk"))
        .select_related("case", "municipal_decision")
        .prefetch_related("case__persons")
        .order_by("pk"),
        referrals=Referral.objects.filter(
            case__in=visible, to_organisation__in=mine, status=ReferralStatus.PROPOSED
        )
        .select_related("case", "from_organisation", "to_organisation")
        .prefetch_related("case__persons")
        .order_by("made_at", "pk"),
        interventions=Intervention.objects.filter(
            case__in=visible.filter(participants__organisation__in=care),
            status=InterventionStatus.PROPOSED,
        )
        .select_related("case")
        .prefetch_related("case__persons")
        .order_by("pk"),
        inactive=Case.objects.filter(pk__in=taking_part.filter(_inactive_q()).values("pk"))
        .select_related("municipality")
        .order_by("last_activity_at", "created_at", "pk"),
    )


@dataclass(frozen=True)
class CaseWorkCounts:
    """The start page's figures of case work: numbers only, no case data (not audited)."""

    agreements: int  # of my organisation, open
    agreements_overdue: int
    agreements_due_soon: int  # due today or in the next DUE_SOON_DAYS days
    overdue_directed: int
    proposals: int
    referrals: int
    interventions: int
    inactive: int

    @property
    def total(self) -> int:
        return (
            self.agreements
            + self.overdue_directed
            + self.proposals
            + self.referrals
            + self.interventions
            + self.inactive
        )


def case_work_counts(context: AccessContext) -> CaseWorkCounts:
    """Six queries whatever the number of cases (none for a role that works no cases); kept in
    the context's memo, as several tiles ask it."""
    if "case_work_counts" in context.memo:
        kept: CaseWorkCounts = context.memo["case_work_counts"]
        return kept
    if not case_policy.can(context.actor, Action.LIST):
        counts = CaseWorkCounts(0, 0, 0, 0, 0, 0, 0, 0)
    else:
        sets = case_work_sets(context)
        today = timezone.localdate()
        agreements = sets.agreements.order_by().aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            soon=Count(
                "pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(DUE_SOON_DAYS))
            ),
        )
        counts = CaseWorkCounts(
            agreements=agreements["open"],
            agreements_overdue=agreements["overdue"],
            agreements_due_soon=agreements["soon"],
            overdue_directed=sets.overdue_directed.count(),
            proposals=sets.proposals.count(),
            referrals=sets.referrals.count(),
            interventions=sets.interventions.count(),
            inactive=sets.inactive.count(),
        )
    context.memo["case_work_counts"] = counts
    return counts


def open_case_count(context: AccessContext) -> int:
    """The open cases the actor sees, for the start page (a number: not audited)."""
    if not case_policy.can(context.actor, Action.LIST):
        return 0
    return cases_visible_to(context).filter(status=CaseStatus.OPEN).count()


def redactors_for(context: AccessContext, cases: Iterable[Case]) -> dict[int, Redactor]:
    """The redactor of each case for this viewer, in one query whatever the number of cases
    (their persons prefetched): none where the policy reveals the persons."""
    by_pk = {case.pk: case for case in cases}
    revealed = set(
        Case.objects.filter(pk__in=by_pk)
        .filter(case_policy.reveals_personal_data_q(context.actor))
        .values_list("pk", flat=True)
    )
    return {
        pk: Redactor.none() if pk in revealed else redactor_for(case.persons.all())
        for pk, case in by_pk.items()
    }


@dataclass(frozen=True)
class CaseRowsShown:
    agreements: list[AgreementShown] = field(default_factory=list)
    overdue_directed: list[AgreementShown] = field(default_factory=list)
    proposals: list[ProposalShown] = field(default_factory=list)
    referrals: list[ReferralShown] = field(default_factory=list)
    interventions: list[InterventionShown] = field(default_factory=list)
    inactive: list[Case] = field(default_factory=list)


def case_rows_shown(
    context: AccessContext,
    *,
    agreements: Iterable[Agreement] = (),
    overdue_directed: Iterable[Agreement] = (),
    proposals: Iterable[Proposal] = (),
    referrals: Iterable[Referral] = (),
    interventions: Iterable[Intervention] = (),
    inactive: Iterable[Case] = (),
) -> CaseRowsShown:
    """Rows read from `case_work_sets` as this viewer may see them (pseudonyms where the
    persons are not revealed to them), audited as one list read of their cases."""
    agreements, overdue_directed = list(agreements), list(overdue_directed)
    proposals, referrals = list(proposals), list(referrals)
    interventions, inactive = list(interventions), list(inactive)
    rows: list[Any] = [*agreements, *overdue_directed, *proposals, *referrals, *interventions]
    redact = redactors_for(context, [row.case for row in rows])
    cases = {row.case for row in rows} | set(inactive)
    if cases:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=sorted(cases, key=lambda c: c.pk),
            fields=("reference", "agreements", "proposals", "referrals", "interventions"),
            purpose="my actions",
        )
    today = timezone.localdate()
    return CaseRowsShown(
        agreements=[agreement_shown(a, redact[a.case_id], today) for a in agreements],
        overdue_directed=[agreement_shown(a, redact[a.case_id], today) for a in overdue_directed],
        proposals=[proposal_shown(p, redact[p.case_id]) for p in proposals],
        referrals=[referral_shown(r, redact[r.case_id]) for r in referrals],
        interventions=[intervention_shown(i, redact[i.case_id]) for i in interventions],
        inactive=inactive,
    )


# --- Victims for the registration with CoMensha ----------------------------------------------


@dataclass(frozen=True)
class VictimForRegistration:
    """What Schakel holds of one possible victim that CoMensha's registration asks for
    (docs/comensha.md maps it), decrypted for a reader the policy lets see it by name."""

    pk: int
    case_reference: str
    municipality: str
    pseudonym: str
    name: str
    date_of_birth: str
    sex: str
    nationality_country: str
    approximate_age: int | None
    exploitation_forms: tuple[str, ...]
    # Outcome code -> the local date it was recorded (PersonOutcome).
    outcomes: dict[str, date]
    known_since: date
    first_signal_on: date | None


def victims_for_registration(
    context: AccessContext,
    *,
    start: datetime,
    end: datetime,
    registered: bool | None = None,
    export: str = "",
) -> list[VictimForRegistration]:
    """The possible victims added to the actor's cases in [start, end) that the victim
    registration policy shows them, oldest case first; `registered` narrows to those with (True)
    or without (False) a recorded CoMensha registration. Audited as one entry naming every
    person: a list read, or an export when `export` names the file's kind."""
    persons = (
        victim_registration_policy.visible_to(context.actor)
        .filter(added_at__gte=start, added_at__lt=end)
        .select_related("case__municipality", "from_signal_person")
        .prefetch_related("outcomes", "case__exploitation_forms")
        .annotate(first_signal=Min("case__signals__reported_at"))
        .order_by("case__created_at", "case__reference", "number")
    )
    if registered is not None:
        with_registration = CasePersonOutcome.objects.filter(
            person=OuterRef("pk"), outcome=PersonOutcome.REGISTERED_COMENSHA
        )
        persons = persons.filter(
            Exists(with_registration) if registered else ~Exists(with_registration)
        )
    found = list(persons)
    audit_record(
        context=context,
        action=AuditAction.EXPORT if export else AuditAction.LIST,
        objects=sorted({p.case for p in found}, key=lambda c: c.pk),
        fields=REGISTRATION_FIELDS if export else ("reference", "persons", "outcomes"),
        purpose=f"CoMensha registration {export}".strip(),
        subjects=found,
    )
    return [_for_registration(p) for p in found]


# The personal data a registration file carries, for the audit entry.
REGISTRATION_FIELDS = (
    "name",
    "date_of_birth",
    "sex",
    "nationality",
    "approximate_age",
    "exploitation_forms",
    "outcomes",
)


def _for_registration(person: CasePerson) -> VictimForRegistration:
    first_signal = getattr(person, "first_signal", None)
    signal_person = person.from_signal_person
    return VictimForRegistration(
        pk=person.pk,
        case_reference=person.case.reference,
        municipality=person.case.municipality.name,
        pseudonym=person.pseudonym,
        name=person.name,
        date_of_birth=person.date_of_birth.strip(),
        sex=person.sex,
        nationality_country=str(person.nationality_country or ""),
        approximate_age=signal_person.approximate_age if signal_person else None,
        exploitation_forms=tuple(f.code for f in person.case.exploitation_forms.all()),
        outcomes={o.outcome: timezone.localdate(o.recorded_at) for o in person.outcomes.all()},
        known_since=timezone.localdate(person.added_at),
        first_signal_on=timezone.localdate(first_signal) if first_signal else None,
    )


# --- Drafts -----------------------------------------------------------------------------------


def draft_for(context: AccessContext, form: str, case: Case | None = None) -> Draft | None:
    """The actor's own draft of this form of the case; nobody else's, ever."""
    return drafts.draft_of(context, form, case)


draft_data = drafts.draft_data
