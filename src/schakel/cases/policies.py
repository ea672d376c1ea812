"""Who sees and acts on a case, and who sees its persons by name.

- The AF OOV of the municipality is the netwerkregisseur: sees every case of the municipality,
  opens cases, shares them, reveals personal data to participants, sets direction, records the
  decisions of the case meeting and closes cases. Only the netwerkregisseur may share *without*
  a recorded basis (the override), and that is always mailed to the privacy officers.
- When Veilig Thuis holds direction (high safety risk), its staff may share the case too, but
  only with a recorded basis.
- A participating organisation's staff in a case role see the case and work on it (timeline,
  agreements, referrals, persons). They see persons by name only when their organisation was
  added with a basis that reveals personal data; otherwise they see pseudonyms.
- An organisation a case is referred to sees the case, pseudonymised, until the referral is
  answered or revoked: it must know what it is asked to take on.
- Perpetrator-side roles propose and execute interventions; only the zorgcoördinator or Veilig
  Thuis acknowledges them (the interlock).
- Reporters, board viewers, functional administrators and privacy officers see no case.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from schakel.core.policies import Action, Actor, Policy, register
from schakel.organisations.choices import Role

from .choices import REVEALING_BASES, DirectionHolder, ReferralStatus
from .models import Case, Inspection

DIRECTOR_ROLES = frozenset({Role.AF_OOV})
CASE_ROLES = frozenset(
    {
        Role.AF_OOV,
        Role.AF_ZORG,
        Role.AF_SWT,
        Role.ZORGCOORDINATOR,
        Role.VEILIG_THUIS,
        Role.AVIM,
        Role.BASISTEAM,
        Role.ISZW,
        Role.OVJ,
        Role.BELASTINGDIENST,
        Role.TOEZICHT_HANDHAVING,
    }
)
PERPETRATOR_ROLES = frozenset(
    {
        Role.AF_OOV,
        Role.AVIM,
        Role.ISZW,
        Role.OVJ,
        Role.BELASTINGDIENST,
        Role.TOEZICHT_HANDHAVING,
    }
)
CARE_ROLES = frozenset({Role.ZORGCOORDINATOR, Role.VEILIG_THUIS})
INSPECTION_ROLES = frozenset({Role.AF_OOV, Role.TOEZICHT_HANDHAVING})
OPEN_REFERRALS = (ReferralStatus.PROPOSED,)


class CasePolicy(Policy[Case]):
    model = Case

    def visible_to(self, actor: Actor) -> QuerySet[Case]:
        if not actor.is_authenticated:
            return Case.objects.none()
        mine = actor.organisations_where(*CASE_ROLES)
        return Case.objects.filter(
            Q(municipality__in=actor.municipalities_where(*DIRECTOR_ROLES))
            | Q(participants__organisation__in=mine)
            | Q(referrals__to_organisation__in=mine, referrals__status__in=OPEN_REFERRALS)
        ).distinct()

    def directs(self, actor: Actor, case: Case) -> bool:
        return case.municipality_id in actor.municipalities_where(*DIRECTOR_ROLES)

    def participating_organisations(self, actor: Actor, case: Case) -> frozenset[int]:
        """The actor's organisations (in a case role) that take part in the case."""
        mine = actor.organisations_where(*CASE_ROLES)
        return frozenset(
            case.participants.filter(organisation__in=mine).values_list(
                "organisation_id", flat=True
            )
        )

    def participates_as(self, actor: Actor, case: Case, roles: frozenset[str]) -> bool:
        organisations = actor.organisations_where(*roles)
        return case.participants.filter(organisation__in=organisations).exists()

    def takes_part(self, actor: Actor, case: Case) -> bool:
        """Works on the case: the netwerkregisseur, or staff of a participating organisation."""
        return self.directs(actor, case) or self.participates_as(actor, case, CASE_ROLES)

    def receives_referral(self, actor: Actor, case: Case) -> bool:
        return case.referrals.filter(
            to_organisation__in=actor.organisations_where(*CASE_ROLES),
            status__in=OPEN_REFERRALS,
        ).exists()

    def reveals_personal_data(self, actor: Actor, case: Case) -> bool:
        """The one rule for showing the persons of a case by name, date of birth and
        nationality: the netwerkregisseur, or a participant added on a basis that reveals
        personal data. Everyone else who sees the case sees pseudonyms."""
        if self.directs(actor, case):
            return True
        return case.participants.filter(
            organisation__in=actor.organisations_where(*CASE_ROLES),
            legal_basis__in=REVEALING_BASES,
        ).exists()

    def may_share(self, actor: Actor, case: Case) -> bool:
        if self.directs(actor, case):
            return True
        return case.direction_holder == DirectionHolder.VEILIG_THUIS and self.participates_as(
            actor, case, frozenset({Role.VEILIG_THUIS})
        )

    def may_override_sharing(self, actor: Actor, case: Case) -> bool:
        """Sharing without a recorded basis: only the netwerkregisseur, and never unseen."""
        return self.directs(actor, case)

    def may_add_person(self, actor: Actor, case: Case) -> bool:
        return self.takes_part(actor, case) and self.reveals_personal_data(actor, case)

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        if action is Action.CREATE:
            return actor.has_role(*DIRECTOR_ROLES)
        if obj is None:
            return action in (Action.LIST, Action.VIEW) and actor.has_role(*CASE_ROLES)
        if action is Action.VIEW:
            return self.takes_part(actor, obj) or self.receives_referral(actor, obj)
        if action is Action.CHANGE:
            return self.directs(actor, obj)
        return False

    def may_propose_intervention(self, actor: Actor, case: Case) -> bool:
        return self.directs(actor, case) or self.participates_as(actor, case, PERPETRATOR_ROLES)

    def may_acknowledge_intervention(self, actor: Actor, case: Case) -> bool:
        return self.participates_as(actor, case, CARE_ROLES)


case_policy = register(CasePolicy())


class InspectionPolicy(Policy[Inspection]):
    """Inspections are planned and evaluated by the AF OOV and Toezicht & handhaving of the
    municipality (the BIT); the case, when there is one, stays behind its own policy."""

    model = Inspection

    def visible_to(self, actor: Actor) -> QuerySet[Inspection]:
        if not actor.is_authenticated:
            return Inspection.objects.none()
        return Inspection.objects.filter(
            municipality__in=actor.municipalities_where(*INSPECTION_ROLES)
        )

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        if action is Action.DELETE:
            return False
        if obj is None:
            return bool(actor.municipalities_where(*INSPECTION_ROLES))
        return obj.municipality_id in actor.municipalities_where(*INSPECTION_ROLES)


inspection_policy = register(InspectionPolicy())
