"""Writing the audit trail. Services call it inside the transaction of the write they record, so
there is never a change without its entry; selectors call it right after the read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from schakel.core.context import AccessContext
from schakel.organisations.models import Membership, User

from .choices import AuditAction
from .models import AuditEvent


def audit_record(
    *,
    context: AccessContext,
    action: AuditAction,
    objects: Iterable[models.Model],
    fields: Iterable[str] = (),
    purpose: str = "",
) -> AuditEvent:
    objects = list(objects)
    user_id = context.actor.user_id
    user_label, roles = "", ""
    if user_id is not None:
        user_label = User.objects.filter(pk=user_id).values_list("username", flat=True).get()
        roles = "; ".join(
            f"{organisation} ({role})"
            for organisation, role in Membership.objects.filter(
                user_id=user_id, is_active=True, organisation__is_active=True
            ).values_list("organisation__name", "role")
        )
    return AuditEvent.objects.create(
        action=action,
        user_id=user_id,
        user_label=user_label,
        roles=roles,
        access_point=context.access_point[:200],
        ip_address=context.ip_address,
        object_type=objects[0]._meta.label if objects else "",
        object_ids=[str(obj.pk) for obj in objects],
        fields=sorted(fields),
        purpose=purpose,
    )
