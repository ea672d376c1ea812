"""Who reads the yearly access-rights review: the privacy officer, who oversees it, and the
functional administrator, who acts on it. Reading it is audited (selectors.rights_review)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from schakel.core.policies import Action, Actor, Policy, register
from schakel.organisations.roles import Capability, capable

from .models import ReviewedAccount


class RightsReviewPolicy(Policy[ReviewedAccount]):
    model = ReviewedAccount

    def visible_to(self, actor: Actor) -> QuerySet[ReviewedAccount]:
        if capable(actor, Capability.REVIEW_RIGHTS):
            return ReviewedAccount.objects.filter(is_active=True)
        return ReviewedAccount.objects.none()

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        return action in (Action.LIST, Action.VIEW) and capable(actor, Capability.REVIEW_RIGHTS)


rights_review_policy = register(RightsReviewPolicy())
