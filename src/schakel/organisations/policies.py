"""Who may manage the organisational structure and reference data: the functional administrator.

Managing users does not open case content: that is decided per aggregate by its own policy, and
the administrator role grants nothing there. An administrator cannot change their own
memberships, so the role cannot be used to hand oneself access to cases.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from schakel.core.policies import Action, Actor, Policy, register

from .models import (
    BigDecision,
    Covenant,
    CovenantCoverage,
    Membership,
    Municipality,
    Organisation,
    Region,
    User,
)
from .roles import Capability, capable


class ReferenceDataPolicy(Policy[models.Model]):
    model = Region

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        return capable(actor, Capability.ADMINISTER)


class AccountPolicy(Policy[User]):
    model = User

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        if not capable(actor, Capability.ADMINISTER):
            return False
        if action in (Action.CHANGE, Action.DELETE) and obj is not None:
            return bool(obj.pk != actor.user_id)
        return True


class MembershipPolicy(Policy[Membership]):
    """Inline on the user screen: `obj` is the user whose memberships are being edited."""

    model = Membership

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        if not capable(actor, Capability.ADMINISTER):
            return False
        owner_id = getattr(obj, "user_id", getattr(obj, "pk", None))
        return action in (Action.LIST, Action.VIEW) or owner_id != actor.user_id


reference_data_policy = register(
    ReferenceDataPolicy(), Municipality, Organisation, Covenant, CovenantCoverage, BigDecision
)
account_policy = register(AccountPolicy())
membership_policy = register(MembershipPolicy())
