"""Who sees and acts on a case.

- The AF OOV of the municipality is the netwerkregisseur: sees every case of the municipality,
  opens cases, adds participants, sets direction, chairs the decisions of the case meeting.
- A participating organisation's staff in a role that sees personal data see the case.
- Perpetrator-side roles propose and execute interventions; only the zorgcoördinator or Veilig
  Thuis acknowledges them (the interlock).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from schakel.core.policies import Action, Actor, Policy, register
from schakel.organisations.choices import Role

from .models import Case

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


class CasePolicy(Policy[Case]):
    model = Case

    def visible_to(self, actor: Actor) -> QuerySet[Case]:
        if not actor.is_authenticated:
            return Case.objects.none()
        return Case.objects.filter(
            Q(municipality__in=actor.municipalities_where(*DIRECTOR_ROLES))
            | Q(participants__organisation__in=actor.organisations_where(*CASE_ROLES))
        ).distinct()

    def directs(self, actor: Actor, case: Case) -> bool:
        return case.municipality_id in actor.municipalities_where(*DIRECTOR_ROLES)

    def participates_as(self, actor: Actor, case: Case, roles: frozenset[str]) -> bool:
        organisations = actor.organisations_where(*roles)
        return case.participants.filter(organisation__in=organisations).exists()

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        if action is Action.CREATE:
            return actor.has_role(*DIRECTOR_ROLES)
        if obj is None:
            return action in (Action.LIST, Action.VIEW) and actor.has_role(*CASE_ROLES)
        if action is Action.VIEW:
            return self.directs(actor, obj) or self.participates_as(actor, obj, CASE_ROLES)
        if action is Action.CHANGE:
            return self.directs(actor, obj)
        return False

    def may_propose_intervention(self, actor: Actor, case: Case) -> bool:
        return self.directs(actor, case) or self.participates_as(actor, case, PERPETRATOR_ROLES)

    def may_acknowledge_intervention(self, actor: Actor, case: Case) -> bool:
        return self.participates_as(actor, case, CARE_ROLES)


case_policy = register(CasePolicy())
