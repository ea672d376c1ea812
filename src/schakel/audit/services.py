"""Writing the audit trail. Services call it inside the transaction of the write they record, so
there is never a change without its entry; selectors call it right after the read.

An entry is one INSERT with its own keyed hash, plus its index rows (persons concerned, object
numbers); no shared row is locked, so an audited read never waits for another transaction's
write. `seal_audit_log` numbers and chains the entries later (audit/sealing.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from schakel.core.context import AccessContext
from schakel.organisations.models import Membership, User

from .chain import event_mac
from .choices import AuditAction
from .models import AuditEvent, AuditObject, AuditSubject


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


def _who(context: AccessContext) -> tuple[str, str]:
    """The user name and the membership they acted in (NEN 7513: in which role the data was
    opened); every active membership when none was chosen. Looked up once per context, that is
    once per request or command, however many entries it writes."""
    key = ("audit.who", context.actor.user_id, context.actor.membership_id)
    found: tuple[str, str] | None = context.memo.get(key)
    if found is None:
        found = context.memo[key] = _resolve_who(context)
    return found


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
    user_label, roles = _who(context)
    values: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "action": str(action),
        "user_id": context.actor.user_id,
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
    event = AuditEvent(**values, entry_mac=event_mac(values))
    # No savepoint: a failure here fails the enclosing write, which is what it records.
    with transaction.atomic(savepoint=False):
        event.save(force_insert=True)
        AuditSubject.objects.bulk_create(
            AuditSubject(event=event, subject_key=key) for key in sorted(set(values["subjects"]))
        )
        AuditObject.objects.bulk_create(
            AuditObject(event=event, object_id=pk) for pk in sorted(set(values["object_ids"]))
        )
    return event


def _labels(user_ids: set[int]) -> dict[int, tuple[str, str]]:
    """User name and every active membership of each user, in two queries (_resolve_who)."""
    names = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username"))
    roles: dict[int, list[str]] = {}
    for user_id, organisation, role in Membership.objects.filter(
        user_id__in=user_ids, is_active=True, organisation__is_active=True
    ).values_list("user_id", "organisation__name", "role"):
        roles.setdefault(user_id, []).append(f"{organisation} ({role})")
    return {pk: (names[pk], "; ".join(roles.get(pk, []))) for pk in names}


def audit_record_many(entries: Sequence[Mapping[str, Any]]) -> list[AuditEvent]:
    """Many entries at once, in the order given, for bulk loads (the dataset generator): each
    as `audit_record` writes it (its own keyed hash, its index rows), in one transaction and a
    few INSERTs. The sealer numbers and chains them later, in this order (audit/sealing.py).

    An entry gives `occurred_at`, `action`, `object_type`, `object_ids` and optionally
    `user_id`, `access_point`, `subjects` (keys as `subject_key` makes them), `fields`,
    `purpose`; the user name and roles are looked up as for `audit_record`."""
    who = _labels({e["user_id"] for e in entries if e.get("user_id") is not None})
    events = []
    for entry in entries:
        user_id = entry.get("user_id")
        user_label, roles = who.get(user_id, ("", "")) if user_id is not None else ("", "")
        values: dict[str, Any] = {
            # UTC, as read back from the database: the hash covers the written text.
            "occurred_at": entry["occurred_at"].astimezone(UTC),
            "action": str(entry["action"]),
            "user_id": user_id,
            "user_label": user_label,
            "roles": roles[:500],
            "access_point": str(entry.get("access_point", ""))[:200],
            "ip_address": entry.get("ip_address"),
            "object_type": entry["object_type"],
            "object_ids": [str(pk) for pk in entry["object_ids"]],
            "subjects": list(entry.get("subjects", ())),
            "fields": sorted(entry.get("fields", ())),
            "purpose": str(entry.get("purpose", "")),
        }
        events.append(AuditEvent(**values, entry_mac=event_mac(values)))
    with transaction.atomic(savepoint=False):
        events = AuditEvent.objects.bulk_create(events)
        AuditSubject.objects.bulk_create(
            AuditSubject(event=event, subject_key=key)
            for event in events
            for key in sorted(set(event.subjects))
        )
        AuditObject.objects.bulk_create(
            AuditObject(event=event, object_id=pk)
            for event in events
            for pk in sorted(set(event.object_ids))
        )
    return events


def record_administration(context: AccessContext, action: str, obj: Any, what: str) -> None:
    """An administration change (accounts, roles, reference data) in the audit log too, not only
    in Django's admin history: registered with the admin site (core.admin_site)."""
    audit_record(
        context=context, action=AuditAction(action), objects=[obj], fields=[], purpose=what[:200]
    )
