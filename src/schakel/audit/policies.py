"""Who reads the audit log: the privacy officer, for oversight, and nobody else.

Reading the log is itself logged (a search or an export entry), so oversight is overseen too.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from schakel.core.policies import Action, Actor, Policy, register
from schakel.organisations.choices import Role

from .models import AuditEvent


class AuditEventPolicy(Policy[AuditEvent]):
    model = AuditEvent

    def visible_to(self, actor: Actor) -> QuerySet[AuditEvent]:
        if actor.has_role(Role.PRIVACY_OFFICER):
            return AuditEvent.objects.all()
        return AuditEvent.objects.none()

    def can(self, actor: Actor, action: Action, obj: Any = None) -> bool:
        return action in (Action.LIST, Action.VIEW) and actor.has_role(Role.PRIVACY_OFFICER)


audit_event_policy = register(AuditEventPolicy())
