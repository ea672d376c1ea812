"""Writing the audit trail. Services call it inside the transaction of the write they record, so
there is never a change without its entry; selectors call it right after the read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from schakel.core.context import AccessContext
from schakel.organisations.models import Membership, User

from .chain import entry_hash
from .choices import AuditAction
from .models import AuditChainHead, AuditEvent


def _who(context: AccessContext) -> tuple[str, str]:
    """The user name and the membership they acted in (NEN 7513: in which role the data was
    opened); every active membership when none was chosen. Looked up once per context, that is
    once per request or command, however many entries it writes."""
    key = ("audit.who", context.actor.user_id, context.actor.membership_id)
    found: tuple[str, str] | None = context.memo.get(key)
    if found is None:
        found = context.memo[key] = _resolve_who(context)
    return found


def _resolve_who(context: AccessContext) -> tuple[str, str]:
    user_id = context.actor.user_id
    if user_id is None:
        return "", ""
    username = User.objects.filter(pk=user_id).values_list("username", flat=True).get()
    memberships = Membership.objects.filter(
        user_id=user_id, is_active=True, organisation__is_active=True
    )
    if context.actor.membership_id is not None:
        memberships = memberships.filter(pk=context.actor.membership_id)
    roles = "; ".join(
        f"{organisation} ({role})"
        for organisation, role in memberships.values_list("organisation__name", "role")
    )
    return username, roles


def subject_key(subject: models.Model) -> str:
    return f"{subject._meta.label}:{subject.pk}"


def audit_record(
    *,
    context: AccessContext,
    action: AuditAction,
    objects: Iterable[models.Model],
    fields: Iterable[str] = (),
    purpose: str = "",
    subjects: Iterable[models.Model] = (),
) -> AuditEvent:
    objects = list(objects)
    user_id = context.actor.user_id
    user_label, roles = _who(context)
    values: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "action": str(action),
        "user_id": user_id,
        "user_label": user_label,
        "roles": roles[:500],
        "access_point": context.access_point[:200],
        "ip_address": context.ip_address,
        "object_type": objects[0]._meta.label if objects else "",
        "object_ids": [str(obj.pk) for obj in objects],
        "subjects": [subject_key(subject) for subject in subjects],
        "fields": sorted(fields),
        "purpose": purpose,
    }
    with transaction.atomic():
        # The head row is locked until commit, so entries are appended strictly one by one.
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        values["sequence"] = head.sequence + 1
        values["previous_hash"] = head.entry_hash
        values["entry_hash"] = entry_hash(values)
        event = AuditEvent.objects.create(**values)
        head.sequence, head.entry_hash = event.sequence, event.entry_hash
        head.save(update_fields=["sequence", "entry_hash"])
    return event
