"""Every read of signals goes through here: filtered by the policy in the database, audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from schakel.audit.choices import AuditAction
from schakel.audit.models import AuditEvent
from schakel.audit.selectors import audit_events_concerning
from schakel.audit.services import audit_record
from schakel.catalogue.choices import IndicatorStrength
from schakel.catalogue.facts import Tally, tally
from schakel.catalogue.models import Indicator
from schakel.core.context import AccessContext
from schakel.core.crypto import blind_index
from schakel.core.events import EventShown
from schakel.core.pagination import Page, Pager, first_page
from schakel.core.policies import Action
from schakel.core.sorting import Sorting, SortKey, in_order_of
from schakel.organisations.models import Municipality

from .addresses import agree
from .choices import STATUS_FOR_REPORTER, EntryPoint, ReporterSector, Routing, SignalStatus
from .codes import check_feedback_code
from .deadlines import (
    DeadlineState,
    SignalDeadlines,
    deadline_state,
    due_this_week_q,
    feedback_overdue_before,
    first_action_due_by,
    first_action_overdue_before,
    overdue_q,
)
from .events import signal_events
from .models import Signal, SignalAddressKey, SignalAttachment, SignalLink, SignalPerson
from .policies import SignalAction, signal_policy, subject_access_policy


def signals_visible_to(context: AccessContext) -> QuerySet[Signal]:
    return signal_policy.visible_to(context.actor)


@dataclass(frozen=True)
class QueueItem:
    signal: Signal
    state: DeadlineState

    @property
    def deadlines(self) -> SignalDeadlines:
        return self.state.deadlines

    # The labels of the row, looked up in their enums (get_FOO_display rebuilds the choices
    # for every call: a hundred rows felt it).
    @property
    def entry_point_label(self) -> str:
        return str(EntryPoint(self.signal.entry_point).label)

    @property
    def sector_label(self) -> str:
        sector = self.signal.reporter_sector
        return str(ReporterSector(sector).label) if sector else ""

    @property
    def status_label(self) -> str:
        return str(SignalStatus(self.signal.status).label)

    @property
    def routing_label(self) -> str:
        routing = self.signal.routing
        return str(Routing(routing).label) if routing else ""

    @property
    def overdue(self) -> bool:
        return self.state.overdue


@dataclass(frozen=True)
class WorkQueue:
    new: Page[QueueItem]  # 'Nieuwe signalen': waiting to be picked up, shown first
    in_hand: Page[QueueItem]  # picked up or routed, not closed yet


class DeadlineFilter(StrEnum):
    OVERDUE = "overdue"
    THIS_WEEK = "this_week"


@dataclass(frozen=True)
class SignalQuery:
    """What a signal list is narrowed to and sorted by (the filter forms build it). Filters only
    ever narrow what the policy lets the actor see."""

    status: str = ""
    deadline: str = ""
    entry_point: str = ""
    exploitation_form: str = ""
    municipality: int | None = None
    sort: str = ""


QUEUE_SORTING = Sorting(
    keys={
        "received": SortKey(gettext_lazy("Received"), ("reported_at",)),
        # Every deadline grows with the day of the report; in hand, those without feedback
        # (the ones whose deadline still runs) first.
        "deadline": SortKey(
            gettext_lazy("Deadline"),
            (F("feedback_at").asc(nulls_first=True), "reported_at"),
        ),
        "reference": SortKey(gettext_lazy("Reference number"), ("reference",)),
        "status": SortKey(
            gettext_lazy("Status"), (in_order_of("status", SignalStatus.values), "reported_at")
        ),
    },
    default="received",
)
MY_SIGNALS_SORTING = Sorting(
    keys={
        "received": SortKey(gettext_lazy("Reported at"), ("reported_at",)),
        "reference": SortKey(gettext_lazy("Reference number"), ("reference",)),
        "status": SortKey(
            gettext_lazy("Status"), (in_order_of("status", SignalStatus.values), "reported_at")
        ),
    },
    default="-received",
)


def signals_filtered(
    signals: QuerySet[Signal], query: SignalQuery, today: date | None = None
) -> QuerySet[Signal]:
    """A signal list narrowed by the query's filters (values outside the choices are ignored)."""
    if query.status in SignalStatus.values:
        signals = signals.filter(status=query.status)
    if query.deadline == DeadlineFilter.OVERDUE:
        signals = signals.filter(overdue_q(today))
    elif query.deadline == DeadlineFilter.THIS_WEEK:
        signals = signals.filter(due_this_week_q(today))
    if query.entry_point in EntryPoint.values:
        signals = signals.filter(entry_point=query.entry_point)
    if query.exploitation_form:
        signals = signals.filter(exploitation_forms__code=query.exploitation_form)
    if query.municipality is not None:
        signals = signals.filter(municipality_id=query.municipality)
    return signals


def signal_queue(
    context: AccessContext,
    query: SignalQuery = SignalQuery(),
    *,
    new_pager: Pager = first_page,
    in_hand_pager: Pager = first_page,
) -> WorkQueue:
    """The reporting point's work: the new signals with their first-action deadline, and the
    signals in hand with their feedback deadline, each a page of its own. Only the rows shown
    are read, and audited."""
    if not signal_policy.can(context.actor, Action.LIST):
        nothing = Signal.objects.none().order_by("pk")
        return WorkQueue(new_pager(nothing), in_hand_pager(nothing))
    today = timezone.localdate()
    open_signals = signals_filtered(
        signals_visible_to(context)
        .filter(municipality__in=signal_policy.receiving_municipalities(context.actor))
        .exclude(status=SignalStatus.CLOSED),
        query,
        today,
    )
    open_signals = QUEUE_SORTING.apply(
        open_signals.select_related("municipality", "reporter_organisation").prefetch_related(
            "exploitation_forms"
        ),
        query.sort,
    )
    new = new_pager(open_signals.filter(status=SignalStatus.NEW))
    in_hand = in_hand_pager(open_signals.exclude(status=SignalStatus.NEW))
    shown = [*new.items, *in_hand.items]
    if shown:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=shown,
            fields=(
                "reference",
                "place",
                "exploitation_forms",
                "reporter_organisation",
                "reporter_sector",
                "status",
            ),
            purpose="work queue",
        )
    return WorkQueue(
        new=replace(new, items=[QueueItem(s, deadline_state(s, today)) for s in new.items]),
        in_hand=replace(
            in_hand, items=[QueueItem(s, deadline_state(s, today)) for s in in_hand.items]
        ),
    )


def receiving_municipalities(context: AccessContext) -> list[Municipality]:
    """The municipalities whose reporting point the actor is, for the queue's filter."""
    ids = signal_policy.receiving_municipalities(context.actor)
    return list(Municipality.objects.filter(pk__in=ids).order_by("name")) if ids else []


def _received_new(context: AccessContext) -> QuerySet[Signal]:
    """New signals of the municipalities whose reporting point the actor is (none otherwise)."""
    if not signal_policy.can(context.actor, Action.LIST):
        return Signal.objects.none()
    return signals_visible_to(context).filter(
        municipality__in=signal_policy.receiving_municipalities(context.actor),
        status=SignalStatus.NEW,
    )


def overdue_new_signals(context: AccessContext) -> list[QueueItem]:
    """The new signals nobody picked up in time, oldest first. Audited as a list read, like the
    queue."""
    today = timezone.localdate()
    signals = list(
        _received_new(context)
        .filter(reported_at__lt=first_action_overdue_before(today))
        .select_related("municipality")
        .order_by("reported_at", "pk")
    )
    if signals:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=signals,
            fields=("reference", "place", "reported_at", "status"),
            purpose="my actions",
        )
    return [QueueItem(s, deadline_state(s, today)) for s in signals]


@dataclass(frozen=True)
class SignalCounts:
    new: int
    overdue: int  # of the new ones: their first action is late
    due_today: int = 0  # of the new ones: their first action is due today
    feedback_overdue: int = 0  # open signals whose reporter waits past the feedback term


NO_SIGNALS = SignalCounts(new=0, overdue=0)


def signal_counts(context: AccessContext) -> SignalCounts:
    """How many signals wait for the actor's reporting point, for the start page: one query,
    whatever the number of signals (the deadlines are bounds on the report's time, see
    intake.deadlines). Numbers only, no signal data: not audited. Zero, without a query, for
    whoever is no reporting point. Kept in the context's memo: two tiles ask it."""
    if "signal_counts" in context.memo:
        counts: SignalCounts = context.memo["signal_counts"]
        return counts
    if not signal_policy.can(context.actor, Action.LIST):
        return NO_SIGNALS
    today = timezone.localdate()
    new = Q(status=SignalStatus.NEW)
    late = first_action_overdue_before(today)
    figures = (
        signals_visible_to(context)
        .filter(municipality__in=signal_policy.receiving_municipalities(context.actor))
        .exclude(status=SignalStatus.CLOSED)
        .aggregate(
            new=Count("pk", filter=new),
            overdue=Count("pk", filter=new & Q(reported_at__lt=late)),
            due_today=Count(
                "pk",
                filter=new & Q(reported_at__gte=late, reported_at__lt=first_action_due_by(today)),
            ),
            feedback_overdue=Count(
                "pk",
                filter=Q(feedback_at__isnull=True, reported_at__lt=feedback_overdue_before(today)),
            ),
        )
    )
    counts = SignalCounts(**figures)
    context.memo["signal_counts"] = counts
    return counts


def signals_waiting(context: AccessContext) -> QuerySet[Signal]:
    """'Mijn acties' of a reporting point: every new signal (each waits for its first action)
    and every signal in hand whose reporter waits past the feedback term, in the order of their
    deadlines (the earliest report has the earliest deadline). Not audited here: the caller
    audits the rows it shows."""
    if not signal_policy.can(context.actor, Action.LIST):
        return Signal.objects.none()
    return (
        signals_visible_to(context)
        .filter(municipality__in=signal_policy.receiving_municipalities(context.actor))
        .filter(
            Q(status=SignalStatus.NEW)
            | Q(
                feedback_at__isnull=True,
                reported_at__lt=feedback_overdue_before(),
            )
        )
        .exclude(status=SignalStatus.CLOSED)
        .select_related("municipality")
        .order_by("reported_at", "pk")
    )


def waiting_signals_shown(context: AccessContext, signals: list[Signal]) -> list[QueueItem]:
    """Rows read from `signals_waiting`, with their deadlines today; audited as a list read."""
    if signals:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=signals,
            fields=("reference", "municipality", "reported_at", "status"),
            purpose="my actions",
        )
    today = timezone.localdate()
    return [QueueItem(s, deadline_state(s, today)) for s in signals]


def reports_awaiting_feedback(context: AccessContext) -> int:
    """How many of the actor's own reports are open without feedback yet: for the reporter's
    start page. A number only: not audited."""
    if not signal_policy.can(context.actor, Action.CREATE):
        return 0
    return (
        signals_visible_to(context)
        .filter(reporter_id=context.actor.user_id, feedback_at__isnull=True)
        .exclude(status=SignalStatus.CLOSED)
        .count()
    )


def signal_deadlines(context: AccessContext, signal: Signal) -> DeadlineState | None:
    """The signal's deadlines, for whoever handles it (the reporting point): a reporter does not
    see the handling's terms."""
    if not signal_policy.receives(context.actor, signal):
        return None
    return deadline_state(signal)


def signals_reported_by(
    context: AccessContext, query: SignalQuery = SignalQuery(), *, pager: Pager = first_page
) -> Page[Signal]:
    """'Mijn meldingen': what the actor reported themselves, a page at a time."""
    signals = MY_SIGNALS_SORTING.apply(
        signals_filtered(
            signals_visible_to(context).filter(reporter_id=context.actor.user_id), query
        )
        .select_related("municipality")
        .prefetch_related("exploitation_forms"),
        query.sort,
    )
    page = pager(signals)
    if page.items:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=page.items,
            fields=("reference", "place", "municipality", "reported_at", "status", "feedback"),
            purpose="own reports",
        )
    return page


def signal_timeline(context: AccessContext, signal: Signal) -> list[EventShown]:
    """The history of a signal in the reader's language, for whoever may see its handling
    (the reporting point)."""
    if "events" not in signal_policy.fields(context.actor, signal):
        return []
    return signal_events.show(
        signal.events.select_related("actor", "organisation").order_by("occurred_at", "pk")
    )


def signal_links(context: AccessContext, signal: Signal) -> list[SignalLink]:
    if "links" not in signal_policy.fields(context.actor, signal):
        return []
    return list(
        SignalLink.objects.filter(Q(signal=signal) | Q(linked=signal)).select_related(
            "signal", "linked"
        )
    )


def link_group_ids(signal: Signal) -> set[int]:
    """The ids of the signals linked to this one, directly or through others, itself included:
    the group the assessment framework looks at and a triage takes into its case."""
    group = {signal.pk}
    frontier = {signal.pk}
    while frontier:
        pairs = SignalLink.objects.filter(
            Q(signal_id__in=frontier) | Q(linked_id__in=frontier)
        ).values_list("signal_id", "linked_id")
        found = {pk for pair in pairs for pk in pair} - group
        group |= found
        frontier = found
    return group


def linked_signals(context: AccessContext, signal: Signal) -> list[Signal]:
    """The other signals of the link group, of the same municipality, that the actor may
    handle: they go into the case a triage opens."""
    if not signal_policy.receives(context.actor, signal):
        return []
    return list(
        signals_visible_to(context)
        .filter(pk__in=link_group_ids(signal) - {signal.pk}, municipality=signal.municipality_id)
        .order_by("reported_at")
    )


def _keys(signal: Signal) -> dict[str, tuple[str, str]]:
    return {
        key: (town, postcode)
        for key, town, postcode in signal.address_keys.values_list("key", "town", "postcode")
    }


def _agrees(mine: tuple[str, str], town: str, postcode: str) -> bool:
    return agree(mine[0], town) and agree(mine[1], postcode)


def same_address(signal: Signal, other: Signal) -> bool:
    """Whether the address index puts both signals at one address (intake/addresses.py)."""
    mine = _keys(signal)
    return any(
        key in mine and _agrees(mine[key], town, postcode)
        for key, town, postcode in other.address_keys.values_list("key", "town", "postcode")
    )


@dataclass(frozen=True)
class AddressMatch:
    """Another signal at the same address, as the AF's signal page lists it."""

    signal: Signal
    tally: Tally
    linked: bool  # already in this signal's link group


def signals_at_address(context: AccessContext, signal: Signal) -> list[AddressMatch]:
    """Every other signal of the municipality at the same address, earlier and later, for the
    AF who may link them; found through the keyed address index. Audited as a list."""
    if not signal_policy.can(context.actor, SignalAction.LINK, signal):
        return []
    mine = _keys(signal)
    if not mine:
        return []
    candidates = {
        pk
        for pk, key, town, postcode in SignalAddressKey.objects.filter(key__in=mine)
        .exclude(signal_id=signal.pk)
        .values_list("signal_id", "key", "town", "postcode")
        if _agrees(mine[key], town, postcode)
    }
    others = list(
        signals_visible_to(context)
        .filter(pk__in=candidates, municipality=signal.municipality_id)
        .prefetch_related("exploitation_forms", "indicators", "added_indicators")
        .order_by("reported_at")
    )
    if not others:
        return []
    audit_record(
        context=context,
        action=AuditAction.LIST,
        objects=others,
        fields=("reference", "reported_at", "entry_point", "exploitation_forms", "indicators"),
        purpose="signals at the same address",
    )
    group = link_group_ids(signal)
    return [
        AddressMatch(other, tally(recorded_indicators(other)), other.pk in group)
        for other in others
    ]


def recorded_indicators(signal: Signal) -> list[Indicator]:
    """What the reporter ticked and what the reporting point added (prefetch both)."""
    return [*signal.indicators.all(), *signal.added_indicators.all()]


@dataclass(frozen=True)
class IndicatorSeen:
    indicator: Indicator
    references: tuple[str, ...]  # the signals of the group that record it
    added: bool  # recorded by the reporting point while enriching, not by a reporter


@dataclass(frozen=True)
class GroupPicture:
    """The cumulative picture of a signal and the signals linked to it (DOMAIN.md §5): each
    indicator once across the group, and the tally of the signal alone beside the group's."""

    signals: list[Signal]  # the group, the signal itself included, oldest first
    indicators: list[IndicatorSeen]
    single: Tally
    group: Tally

    @property
    def is_group(self) -> bool:
        return len(self.signals) > 1


def group_picture(signal: Signal, others: list[Signal]) -> GroupPicture:
    """The picture of `signal` with `others` of its group (indicators prefetched). The caller
    has checked the reader may see `signal`; the picture holds no personal data: references,
    dates, entry points and indicators."""
    members = sorted([signal, *others], key=lambda s: s.reported_at)
    indicators: dict[int, Indicator] = {}
    references: dict[int, list[str]] = {}
    reported: set[int] = set()  # recorded by a reporter on some signal of the group
    for member in members:
        for indicator in member.indicators.all():
            reported.add(indicator.pk)
        for indicator in recorded_indicators(member):
            indicators.setdefault(indicator.pk, indicator)
            refs = references.setdefault(indicator.pk, [])
            if member.reference not in refs:
                refs.append(member.reference)
    seen = sorted(
        (
            IndicatorSeen(i, tuple(references[pk]), pk not in reported)
            for pk, i in indicators.items()
        ),
        key=lambda s: (s.indicator.strength != IndicatorStrength.HARD, s.indicator.position),
    )
    return GroupPicture(
        signals=members,
        indicators=seen,
        single=tally(recorded_indicators(signal)),
        group=tally(indicators.values()),
    )


def group_members(signal: Signal) -> list[Signal]:
    """The other signals of the link group in the signal's municipality, with what a group
    picture reads prefetched. For callers that checked access to `signal` (the signal page, a
    case-meeting item)."""
    return list(
        Signal.objects.filter(
            pk__in=link_group_ids(signal) - {signal.pk}, municipality=signal.municipality_id
        )
        .filter(anonymised_at__isnull=True)
        .prefetch_related("indicators", "added_indicators", "exploitation_forms")
        .order_by("reported_at")
    )


def signal_group_picture(context: AccessContext, signal: Signal) -> GroupPicture | None:
    """The cumulative picture on the signal page, for whoever may see its links; the other
    signals read for it are audited."""
    if "links" not in signal_policy.fields(context.actor, signal):
        return None
    others = group_members(signal)
    if others:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=others,
            fields=("reference", "reported_at", "entry_point", "indicators"),
            purpose="cumulative picture of linked signals",
        )
    return group_picture(signal, others)


def signal_get_for(context: AccessContext, reference: str) -> Signal:
    """The signal if the actor may read it; 404 for missing and forbidden alike."""
    signal = (
        signals_visible_to(context)
        .select_related("municipality", "reporter", "reporter_organisation")
        .prefetch_related("exploitation_forms", "indicators", "persons", "attachments")
        .filter(reference=reference)
        .first()
    )
    if signal is None or not signal_policy.can(context.actor, SignalAction.VIEW, signal):
        raise Http404
    fields = signal_policy.fields(context.actor, signal)
    audit_record(
        context=context,
        action=AuditAction.READ,
        objects=[signal],
        fields=fields,
        purpose="read signal",
        subjects=signal.persons.all() if "persons" in fields else (),
    )
    return signal


@dataclass(frozen=True)
class PublicFeedback:
    """What a public reporter may read about their report: no content, no handling details."""

    reference: str
    received_at: datetime
    status: str  # in plain words
    feedback: str  # the reporting point's feedback; "" while there is none
    withheld: bool = False  # feedback recorded as "cannot be given" (e.g. an investigation)


def public_feedback_for(
    context: AccessContext, *, reference: str, code: str
) -> PublicFeedback | None:
    """The feedback on a public report, for whoever holds its reference and feedback code.

    None when either is wrong: the caller cannot tell a wrong code from an unknown reference,
    and the comparison takes as long in both cases.
    """
    reference = reference.strip().upper()
    signal = Signal.objects.filter(reference=reference).first()
    stored = signal.feedback_code_hash if signal else ""
    check = check_feedback_code(code, stored, reference=reference)
    if signal is None or not check.matches:
        return None
    with transaction.atomic():
        if check.upgraded:
            # A code issued before the keyed hash: its password hash gives way to the keyed
            # form, unless a concurrent check replaced it first.
            Signal.objects.filter(pk=signal.pk, feedback_code_hash=stored).update(
                feedback_code_hash=check.upgraded
            )
        audit_record(
            context=context,
            action=AuditAction.READ,
            objects=[signal],
            fields=("reference", "reported_at", "status", "feedback"),
            purpose="feedback to public reporter",
        )
    return PublicFeedback(
        reference=signal.reference,
        received_at=signal.reported_at,
        status=str(STATUS_FOR_REPORTER[SignalStatus(signal.status)]),
        feedback=signal.feedback,
        withheld=bool(signal.feedback_withheld_reason),
    )


def signal_attachment_for(context: AccessContext, reference: str, pk: int) -> SignalAttachment:
    """A file sent with a signal, for whoever may see the signal's attachments; audited."""
    signal = signal_get_for(context, reference)
    if "attachments" not in signal_policy.fields(context.actor, signal):
        raise Http404
    attachment = SignalAttachment.objects.filter(signal=signal, pk=pk).first()
    if attachment is None:
        raise Http404
    audit_record(
        context=context,
        action=AuditAction.READ,
        objects=[attachment],
        fields=("file",),
        purpose="download attachment",
        subjects=signal.persons.all(),
    )
    return attachment


# --- Subject access (AVG art. 15 and 16), for the privacy officer --------------------------------


@dataclass(frozen=True)
class SubjectRecord:
    """Everything Schakel holds about one person in one signal, and who accessed it."""

    person: SignalPerson
    signal: Signal
    accesses: list[AuditEvent]


def persons_named(context: AccessContext, *, name: str) -> list[SignalPerson]:
    """The persons recorded under this name (compared through the keyed hash, never in
    plaintext). The search itself is audited."""
    if not subject_access_policy.can(context.actor, Action.LIST):
        raise PermissionDenied
    persons = list(
        SignalPerson.objects.filter(name_index=blind_index(name, purpose="person-name"))
        .select_related("signal")
        .order_by("signal__reported_at")
    )
    audit_record(
        context=context,
        action=AuditAction.SEARCH,
        objects=persons,
        fields=("name",),
        purpose="subject access: search by name",
        subjects=persons,
    )
    return persons


def subject_record(context: AccessContext, person_id: int) -> SubjectRecord:
    """A person's data with every audit entry that concerns them; audited as a read."""
    if not subject_access_policy.can(context.actor, Action.VIEW):
        raise PermissionDenied
    person = (
        SignalPerson.objects.select_related("signal__municipality").filter(pk=person_id).first()
    )
    if person is None:
        raise Http404
    accesses = audit_events_concerning(person)
    audit_record(
        context=context,
        action=AuditAction.READ,
        objects=[person],
        fields=("name", "date_of_birth", "appearance", "signal"),
        purpose="subject access",
        subjects=[person],
    )
    return SubjectRecord(person=person, signal=person.signal, accesses=accesses)
