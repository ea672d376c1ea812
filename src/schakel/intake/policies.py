"""Who sees and handles signals.

- The aandachtsfunctionaris OOV is the municipality's internal reporting point: they list and
  read every signal of their own municipality, with all fields.
- Whoever reported a signal reads their own report back (the fields they entered), nothing else,
  as long as they still hold a reporting role: an ended membership ends that access too.
- Everybody else sees nothing: other municipalities, secondary partners, board viewers,
  functional administrators and privacy officers (their access comes with the audit screens).
- A report through the public form has no reporter: only the AF OOV of its municipality sees it.
  The public reporter reads its status with reference and feedback code (selectors), not here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from schakel.core.policies import (
    Action,
    Actor,
    AggregatePolicy,
    Policy,
    Rule,
    obtain,
    register,
)
from schakel.organisations.roles import Capability, capable, municipalities_with, roles_with

from .choices import SignalStatus
from .models import Signal, SignalPerson

if TYPE_CHECKING:
    from schakel.core.context import AccessContext

REPORTER_FIELDS = frozenset(
    {
        "reference",
        "municipality",
        "entry_point",
        "description",
        "place",
        "exploitation_forms",
        "observed_on",
        "reported_at",
        "persons",
        "indicators",
        "attachments",
    }
)
# What the reporter reads back: what they entered, plus the status and the feedback they got.
REPORTER_VIEW_FIELDS = REPORTER_FIELDS | {"status", "feedback", "feedback_at"}
ALL_FIELDS = REPORTER_VIEW_FIELDS | {
    "reporter",
    "reporter_organisation",
    "reporter_sector",
    "first_judgement",
    "routing",
    "feedback_withheld_reason",
    "close_reason",
    "events",
    "links",
}


class SignalAction(StrEnum):
    VIEW = "view"
    PICK_UP = "pick_up"
    ENRICH = "enrich"
    LINK = "link"
    ROUTE = "route"
    RECORD_TRIAGE = "record_triage"
    GIVE_FEEDBACK = "give_feedback"
    CLOSE = "close"


class SignalRelation(StrEnum):
    RECEIVER = "receiver"  # the AF OOV of the signal's municipality: the reporting point
    REPORTER = "reporter"


S = SignalStatus
HANDLED = frozenset({S.NEW, S.IN_PROGRESS, S.ROUTED})
SIGNAL_RULES: dict[SignalAction, Rule[SignalRelation]] = {
    SignalAction.VIEW: Rule(frozenset({SignalRelation.RECEIVER, SignalRelation.REPORTER})),
    SignalAction.PICK_UP: Rule(frozenset({SignalRelation.RECEIVER}), frozenset({S.NEW})),
    SignalAction.ENRICH: Rule(frozenset({SignalRelation.RECEIVER}), HANDLED),
    SignalAction.LINK: Rule(frozenset({SignalRelation.RECEIVER}), HANDLED),
    SignalAction.ROUTE: Rule(
        frozenset({SignalRelation.RECEIVER}), frozenset({S.NEW, S.IN_PROGRESS})
    ),
    SignalAction.RECORD_TRIAGE: Rule(frozenset({SignalRelation.RECEIVER}), frozenset({S.ROUTED})),
    SignalAction.GIVE_FEEDBACK: Rule(
        frozenset({SignalRelation.RECEIVER}), frozenset({S.IN_PROGRESS, S.ROUTED})
    ),
    SignalAction.CLOSE: Rule(
        frozenset({SignalRelation.RECEIVER}), frozenset({S.IN_PROGRESS, S.ROUTED})
    ),
}


class SignalPolicy(AggregatePolicy[Signal, SignalAction, SignalRelation]):
    model = Signal
    actions = SignalAction
    rules = SIGNAL_RULES

    def visible_to(self, actor: Actor) -> QuerySet[Signal]:
        if not actor.is_authenticated:
            return Signal.objects.none()
        return Signal.objects.filter(
            Q(municipality__in=self.receiving_municipalities(actor)) | Q(reporter_id=actor.user_id)
        )

    def receiving_municipalities(self, actor: Actor) -> frozenset[int]:
        return municipalities_with(actor, Capability.DIRECT)

    def receives(self, actor: Actor, signal: Signal) -> bool:
        return signal.municipality_id in self.receiving_municipalities(actor)

    def reported(self, actor: Actor, signal: Signal) -> bool:
        """A public report has no reporter: an anonymous visitor is not its reporter. An ended
        reporting membership ends the reporter's access too."""
        return (
            actor.is_authenticated
            and signal.reporter_id == actor.user_id
            and capable(actor, Capability.REPORT)
        )

    def relations(self, actor: Actor, obj: Signal, target: Any = None) -> frozenset[SignalRelation]:
        held = set()
        if self.receives(actor, obj):
            held.add(SignalRelation.RECEIVER)
        if self.reported(actor, obj):
            held.add(SignalRelation.REPORTER)
        return frozenset(held)

    def state(self, obj: Signal) -> str:
        return obj.status

    def state_refusal(self, obj: Signal) -> str:
        if obj.status == SignalStatus.CLOSED:
            return _("This signal is closed: nothing about it changes any more.")
        return _("This step is not possible while the signal is '%(status)s'.") % {
            "status": SignalStatus(obj.status).label
        }

    def members(self, relation: SignalRelation, obj: Signal) -> Q:
        if relation is SignalRelation.RECEIVER:
            return Q(
                role__in=roles_with(Capability.DIRECT),
                organisation__municipality_id=obj.municipality_id,
            )
        return Q(user_id=obj.reporter_id, role__in=roles_with(Capability.REPORT))

    def can_kind(self, actor: Actor, action: Action) -> bool:
        if action is Action.CREATE:
            return capable(actor, Capability.REPORT)
        if action in (Action.LIST, Action.CHANGE):  # the queue; handling some signal at all
            return capable(actor, Capability.DIRECT)
        if action is Action.VIEW:  # "may open some signal at all": a receiver or a reporter
            return capable(actor, Capability.DIRECT, Capability.REPORT)
        return False

    def fields(self, actor: Actor, obj: Signal) -> frozenset[str]:
        if self.receives(actor, obj):
            return ALL_FIELDS
        if self.reported(actor, obj):
            return REPORTER_VIEW_FIELDS
        return frozenset()


def signal_access(
    context: AccessContext, signal: Signal | str, action: SignalAction, *, lock: bool = False
) -> Signal:
    """The entry guard of every signal service (see core.policies.obtain)."""
    lookup = {"reference": signal} if isinstance(signal, str) else {"pk": signal.pk}
    return obtain(signal_policy, context.actor, action, lock=lock, **lookup)


signal_policy = register(SignalPolicy())


class SubjectAccessPolicy(Policy[SignalPerson]):
    """The privacy officer answers requests of the people in Schakel (AVG art. 15 and 16): find
    everything recorded about a person, export it, correct it. Nobody else does."""

    model = SignalPerson

    def can(self, actor: Actor, action: Action, obj: SignalPerson | None = None) -> bool:
        return action in (Action.LIST, Action.VIEW, Action.CHANGE) and capable(
            actor, Capability.OVERSEE_PRIVACY
        )


subject_access_policy = register(SubjectAccessPolicy())
