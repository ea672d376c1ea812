"""Who reads which figures (DOMAIN.md §8), and how: one policy for the monitoring screens, the
annual report and the exports.

- The municipality's own AF roles (KEEP_FIGURES) read its figures as they are and write its
  annual report.
- The board viewer (READ_FIGURES) reads its municipality's figures with small counts hidden.
- The regional adviser (READ_REGION_FIGURES) reads the region's pooled figures, hidden alike.
Nobody reads another municipality's figures, and no figure carries a name."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet

from schakel.core.policies import Action, Actor, NotFound, Policy
from schakel.organisations.models import Municipality
from schakel.organisations.roles import Capability, capable, municipalities_with
from schakel.organisations.selectors import municipalities_of_region, region_of_organisation

from .disclosure import Disclosure


class MonitoringAction(StrEnum):
    READ = "read"  # the dashboard of an area
    KEEP = "keep"  # write the annual report, read the figures as they are


@dataclass(frozen=True)
class Area:
    """What a set of figures covers: one municipality, or a region (its municipalities pooled)."""

    name: str
    municipality_ids: tuple[int, ...]
    region_id: int | None = None
    # Per municipality, the smallest count its readers see (Municipality.disclosure_threshold).
    thresholds: tuple[tuple[int, int], ...] = ()

    @property
    def is_region(self) -> bool:
        return self.region_id is not None

    @property
    def threshold(self) -> int:
        """For the pooled region, the strictest of its municipalities'."""
        return max((t for _, t in self.thresholds), default=5)


class FiguresPolicy(Policy[Municipality]):
    model = Municipality

    def visible_to(self, actor: Actor) -> QuerySet[Municipality]:
        """The municipalities whose figures the actor reads (one for the AF and the board; the
        region's for the regional adviser)."""
        own = municipalities_with(actor, Capability.KEEP_FIGURES, Capability.READ_FIGURES)
        if own:
            return Municipality.objects.filter(pk__in=own)
        region = self.region_of(actor)
        if region is not None:
            return municipalities_of_region(region)
        return Municipality.objects.none()

    def region_of(self, actor: Actor) -> int | None:
        if not capable(actor, Capability.READ_REGION_FIGURES):
            return None
        return region_of_organisation(actor.organisation_id)

    def can(
        self, actor: Actor, action: Action | MonitoringAction, obj: Municipality | None = None
    ) -> bool:
        if action in (Action.VIEW, Action.LIST, MonitoringAction.READ):
            return capable(
                actor,
                Capability.KEEP_FIGURES,
                Capability.READ_FIGURES,
                Capability.READ_REGION_FIGURES,
            ) and (obj is None or self.visible_to(actor).filter(pk=obj.pk).exists())
        if action is MonitoringAction.KEEP:
            keeps = municipalities_with(actor, Capability.KEEP_FIGURES)
            return bool(keeps) and (obj is None or obj.pk in keeps)
        return False

    def area_for(self, actor: Actor, *, region: bool = False) -> Area:
        """The area the actor reads: their municipality, or their region (the only choice of a
        regional adviser). NotFound for an actor without figures."""
        if region or self.region_of(actor) is not None:
            region_id = self.region_of(actor)
            if region_id is None:
                raise NotFound
            found = list(
                municipalities_of_region(region_id).values_list(
                    "pk", "disclosure_threshold", "region__name"
                )
            )
            if not found:
                raise NotFound
            return Area(
                name=found[0][2],
                municipality_ids=tuple(pk for pk, _, _ in found),
                region_id=region_id,
                thresholds=tuple((pk, t) for pk, t, _ in found),
            )
        municipality = (
            self.visible_to(actor).values_list("pk", "name", "disclosure_threshold").first()
        )
        if municipality is None:
            raise NotFound
        pk, name, threshold = municipality
        return Area(name=name, municipality_ids=(pk,), thresholds=((pk, threshold),))

    def disclosure(self, actor: Actor, area: Area) -> Disclosure:
        """As they are for the area's own AF roles; with small counts hidden for everyone else."""
        keeps = municipalities_with(actor, Capability.KEEP_FIGURES)
        sees_all = not area.is_region and set(area.municipality_ids) <= keeps
        return Disclosure(protect=not sees_all, threshold=area.threshold)


# Not registered for Municipality (reference data has its own policy): views name it directly.
figures_policy = FiguresPolicy()
