"""Who manages and who reads the catalogue.

The functional administrator reads the fixed list of exploitation forms and manages the
indicators (reference data). Everyone who may report a signal may read the active indicators:
they are the checklist beside the report form and on the signal cards, and hold no personal data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from schakel.core.policies import Action, Actor, register
from schakel.organisations.policies import ReferenceDataPolicy
from schakel.organisations.roles import Capability, capable

from .models import ExploitationForm, Indicator

READ_ACTIONS = frozenset({Action.LIST, Action.VIEW})


class ExploitationFormPolicy(ReferenceDataPolicy):
    """The forms are a fixed list that signals and cases refer to: readable, never removed."""

    model = ExploitationForm  # type: ignore[assignment]

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        return action in READ_ACTIONS and super().can(actor, action, obj)


class IndicatorPolicy(ReferenceDataPolicy):
    model = Indicator  # type: ignore[assignment]

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        if super().can(actor, action, obj):
            return True
        if action not in READ_ACTIONS or not capable(actor, Capability.REPORT):
            return False
        return obj is None or bool(obj.is_active)

    def visible_to(self, actor: Actor) -> QuerySet[Any]:
        if capable(actor, Capability.ADMINISTER):
            return Indicator.objects.all()
        if capable(actor, Capability.REPORT):
            return Indicator.objects.filter(is_active=True)
        return Indicator.objects.none()


exploitation_form_policy = register(ExploitationFormPolicy())
indicator_policy = register(IndicatorPolicy())
