"""Who uses the hit/no-hit registry.

Only professionals who handle personal data in a case register and look up people; functional
administrators and privacy officers do not (they manage accounts and oversee, they do not work
cases). A user sees only their own organisation's registrations, lookups, hits and tasks.
"""

from __future__ import annotations

from django.db.models import QuerySet

from schakel.core.policies import Action, Actor, Policy, register
from schakel.organisations.roles import Capability, capable, organisations_with

from .models import Hit, HitTask, Involvement, InvolvementKey, Lookup


def matching_organisations(actor: Actor) -> frozenset[int]:
    return organisations_with(actor, Capability.LOOK_UP)


class InvolvementPolicy(Policy[Involvement]):
    model = Involvement

    def visible_to(self, actor: Actor) -> QuerySet[Involvement]:
        return Involvement.objects.filter(organisation__in=matching_organisations(actor))

    def can(self, actor: Actor, action: Action, obj: Involvement | None = None) -> bool:
        if action not in (Action.LIST, Action.VIEW, Action.CREATE, Action.CHANGE):
            return False
        if obj is None:
            return capable(actor, Capability.LOOK_UP)
        return obj.organisation_id in matching_organisations(actor)


class HitPolicy(Policy[Hit]):
    """Hits belong to the organisation that looked up; tasks to the organisation they are for."""

    model = Hit

    def visible_to(self, actor: Actor) -> QuerySet[Hit]:
        return Hit.objects.filter(lookup__organisation__in=matching_organisations(actor))

    def can(self, actor: Actor, action: Action, obj: Hit | None = None) -> bool:
        if action not in (Action.LIST, Action.VIEW, Action.CHANGE):
            return False
        if obj is None:
            return capable(actor, Capability.LOOK_UP)
        return obj.lookup.organisation_id in matching_organisations(actor)

    def tasks_visible_to(self, actor: Actor) -> QuerySet[HitTask]:
        return HitTask.objects.filter(organisation__in=matching_organisations(actor))

    def lookups_visible_to(self, actor: Actor) -> QuerySet[Lookup]:
        if actor.user_id is None:
            return Lookup.objects.none()
        return Lookup.objects.filter(
            organisation__in=matching_organisations(actor), user_id=actor.user_id
        )


involvement_policy = register(InvolvementPolicy(), InvolvementKey)
hit_policy = register(HitPolicy(), Lookup, HitTask)
