"""Who reads the audit log: the privacy officer, for oversight, and nobody else.

Reading the log is itself logged (a search or an export entry), so oversight is overseen too.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from schakel.core.policies import Action, Actor, Policy, register
from schakel.organisations.roles import Capability, capable

from .models import AuditEvent


class AuditEventPolicy(Policy[AuditEvent]):
    model = AuditEvent

    def visible_to(self, actor: Actor) -> QuerySet[AuditEvent]:
        if capable(actor, Capability.OVERSEE_PRIVACY):
            return AuditEvent.objects.all()
        return AuditEvent.objects.none()

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        return action in (Action.LIST, Action.VIEW) and capable(actor, Capability.OVERSEE_PRIVACY)


audit_event_policy = register(AuditEventPolicy())
