"""Who sees and keeps the partner network (DOMAIN.md §10):

- The directory (sociale kaart): every user acting in an active membership reads the
  organisations of their own region; the functional administrator edits their profiles.
- Trainings: the AF roles (KEEP_TRAININGS) record, change and list the trainings of their own
  municipality; they and the board (READ_FIGURES) read who is trained, the certification of
  hotels and the quality frameworks of the municipality.
- The care map (zorgkaart): every user in an active membership reads the region's; the care side
  (KEEP_CARE_MAP) and the functional administrator add, change and deactivate its offers.
Nothing here holds personal data of persons concerned: contact persons are partners' staff."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from schakel.core.policies import Action, Actor, Policy, register
from schakel.organisations.models import Organisation
from schakel.organisations.roles import Capability, capable, municipalities_with
from schakel.organisations.selectors import region_of_organisation

from .models import CareOffer, PartnerProfile, TrainingAttendance, TrainingSession, TrainingSetting


def region_of(actor: Actor) -> int | None:
    """The region of the organisation the actor acts for."""
    if actor.grant is None:
        return None
    return region_of_organisation(actor.organisation_id)


class DirectoryPolicy(Policy[PartnerProfile]):
    model = PartnerProfile

    def organisations_visible(self, actor: Actor) -> QuerySet[Organisation]:
        region = region_of(actor)
        if region is None:
            return Organisation.objects.none()
        return Organisation.objects.filter(region_id=region, is_active=True)

    def visible_to(self, actor: Actor) -> QuerySet[PartnerProfile]:
        return PartnerProfile.objects.filter(organisation__in=self.organisations_visible(actor))

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        if action in (Action.LIST, Action.VIEW):
            return actor.grant is not None
        if action in (Action.CREATE, Action.CHANGE):
            return capable(actor, Capability.ADMINISTER)
        return False


class TrainingPolicy(Policy[TrainingSession]):
    """LIST, CREATE and CHANGE: the sessions themselves (KEEP_TRAININGS of the municipality);
    VIEW: the page of who is trained, certified and meets the quality framework (also READ_FIGURES,
    the board)."""

    model = TrainingSession

    def keeping_municipality(self, actor: Actor) -> int | None:
        return next(iter(municipalities_with(actor, Capability.KEEP_TRAININGS)), None)

    def reading_municipality(self, actor: Actor) -> int | None:
        return next(
            iter(municipalities_with(actor, Capability.KEEP_TRAININGS, Capability.READ_FIGURES)),
            None,
        )

    def visible_to(self, actor: Actor) -> QuerySet[TrainingSession]:
        return TrainingSession.objects.filter(
            municipality__in=municipalities_with(actor, Capability.KEEP_TRAININGS)
        )

    def can(self, actor: Actor, action: Action, obj: TrainingSession | None = None) -> bool:
        if action is Action.VIEW:
            return self.reading_municipality(actor) is not None
        if action in (Action.LIST, Action.CREATE, Action.CHANGE):
            keeps = self.keeping_municipality(actor)
            return keeps is not None and (obj is None or obj.municipality_id == keeps)
        return False


class CareMapPolicy(Policy[CareOffer]):
    model = CareOffer

    def keeps(self, actor: Actor) -> bool:
        return capable(actor, Capability.KEEP_CARE_MAP, Capability.ADMINISTER)

    def visible_to(self, actor: Actor) -> QuerySet[CareOffer]:
        region = region_of(actor)
        return CareOffer.objects.filter(Q(region_id=region) if region else Q(pk__in=[]))

    def can(self, actor: Actor, action: Action, obj: CareOffer | None = None) -> bool:
        if action in (Action.LIST, Action.VIEW):
            return actor.grant is not None
        if action in (Action.CREATE, Action.CHANGE):
            region = region_of(actor) if obj is not None else None
            return self.keeps(actor) and (obj is None or obj.region_id == region)
        return False


directory_policy = register(DirectoryPolicy())
training_policy = register(TrainingPolicy(), TrainingAttendance, TrainingSetting)
care_map_policy = register(CareMapPolicy())
