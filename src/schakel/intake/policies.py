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

from django.db.models import Q, QuerySet

from schakel.core.policies import Action, Actor, Policy, register
from schakel.organisations.choices import Role

from .models import Signal, SignalPerson

RECEIVING_ROLES = frozenset({Role.AF_OOV})

REPORTING_ROLES = frozenset(
    {
        Role.AF_OOV,
        Role.AF_ZORG,
        Role.AF_SWT,
        Role.ZORGCOORDINATOR,
        Role.VEILIG_THUIS,
        Role.AVIM,
        Role.BASISTEAM,
        Role.ISZW,
        Role.TOEZICHT_HANDHAVING,
        Role.MUNICIPAL_REPORTER,
        Role.PARTNER_REPORTER,
    }
)

# Who may name the people a signal is about: everyone who reports from inside the network.
# Secondary partners and the public send a situation sketch without personal data (DOMAIN.md §7).
IDENTIFYING_ROLES = REPORTING_ROLES - {Role.PARTNER_REPORTER}

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


class SignalPolicy(Policy[Signal]):
    model = Signal

    def visible_to(self, actor: Actor) -> QuerySet[Signal]:
        if not actor.is_authenticated:
            return Signal.objects.none()
        return Signal.objects.filter(
            Q(municipality__in=self.receiving_municipalities(actor)) | Q(reporter_id=actor.user_id)
        )

    def receiving_municipalities(self, actor: Actor) -> frozenset[int]:
        return actor.municipalities_where(*RECEIVING_ROLES)

    def receives(self, actor: Actor, signal: Signal) -> bool:
        return signal.municipality_id in self.receiving_municipalities(actor)

    def reported(self, actor: Actor, signal: Signal) -> bool:
        """A public report has no reporter: an anonymous visitor is not its reporter."""
        return actor.is_authenticated and signal.reporter_id == actor.user_id

    def can(self, actor: Actor, action: Action, obj: Signal | None = None) -> bool:
        if action is Action.CREATE:
            return actor.has_role(*REPORTING_ROLES)
        if action is Action.LIST:
            return actor.has_role(*RECEIVING_ROLES)
        if action is Action.CHANGE:
            if obj is None:  # "may handle some signal at all": the reporting point
                return actor.has_role(*RECEIVING_ROLES)
            return self.receives(actor, obj)
        if action is Action.VIEW:
            if obj is None:  # "may open some signal at all": a receiver or a reporter
                return actor.has_role(*RECEIVING_ROLES, *REPORTING_ROLES)
            return self.receives(actor, obj) or self.reported(actor, obj)
        return False

    def fields(self, actor: Actor, obj: Signal) -> frozenset[str]:
        if self.receives(actor, obj):
            return ALL_FIELDS
        if self.reported(actor, obj):
            return REPORTER_VIEW_FIELDS
        return frozenset()


signal_policy = register(SignalPolicy())


class SubjectAccessPolicy(Policy[SignalPerson]):
    """The privacy officer answers requests of the people in Schakel (AVG art. 15 and 16): find
    everything recorded about a person, export it, correct it. Nobody else does."""

    model = SignalPerson

    def can(self, actor: Actor, action: Action, obj: SignalPerson | None = None) -> bool:
        return action in (Action.LIST, Action.VIEW, Action.CHANGE) and actor.has_role(
            Role.PRIVACY_OFFICER
        )


subject_access_policy = register(SubjectAccessPolicy())
