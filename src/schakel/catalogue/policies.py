from typing import Any

from schakel.core.policies import Action, Actor, register
from schakel.organisations.policies import ReferenceDataPolicy

from .models import ExploitationForm


class ExploitationFormPolicy(ReferenceDataPolicy):
    """The forms are a fixed list that signals and cases refer to: readable, never removed."""

    model = ExploitationForm  # type: ignore[assignment]

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        return action in (Action.LIST, Action.VIEW) and super().can(actor, action, obj)


exploitation_form_policy = register(ExploitationFormPolicy())
