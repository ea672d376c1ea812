"""Requests of the people in a case (AVG art. 15 and 16), answered by the privacy officer: find the
persons recorded under a name in any case, read and export what is recorded about them and who
accessed it, and correct it with a trail. The same rule as for persons in signals
(`intake.policies.SubjectAccessPolicy`): the privacy officer, and nobody else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.models import AuditEvent
from schakel.audit.selectors import audit_events_concerning
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext
from schakel.core.crypto import blind_index
from schakel.core.policies import Action
from schakel.core.text import reason_text
from schakel.intake.choices import Sex
from schakel.intake.nationality import nationality_code
from schakel.intake.policies import subject_access_policy

from . import hooks
from .choices import CaseEventKind
from .events import case_events
from .models import Case, CasePerson, TimelineEntry
from .services import NAME_INDEX

CORRECTABLE_FIELDS = ("name", "date_of_birth", "sex", "nationality_country", "nationality")


def case_persons_named(context: AccessContext, *, name: str) -> list[CasePerson]:
    """The persons recorded under this name in any case (through the keyed hash); audited."""
    if not subject_access_policy.can(context.actor, Action.LIST):
        raise PermissionDenied
    persons = list(
        CasePerson.objects.filter(name_index=blind_index(name, purpose=NAME_INDEX))
        .select_related("case")
        .order_by("case__created_at")
    )
    audit_record(
        context=context,
        action=AuditAction.SEARCH,
        objects=persons,
        fields=("name",),
        purpose="subject access: search by name in cases",
        subjects=persons,
    )
    return persons


@dataclass(frozen=True)
class CaseSubjectRecord:
    person: CasePerson
    case: Case
    accesses: list[AuditEvent]

    def export(self) -> dict[str, Any]:
        """Everything about the person in this case, for the answer to an art. 15 request."""
        person, case = self.person, self.case
        return {
            "person": {
                "role": person.get_role_display(),
                "pseudonym": person.pseudonym,
                **{name: str(getattr(person, name)) for name in CORRECTABLE_FIELDS},
                "nationality_country": str(person.nationality_country.name),
                "outcomes": [str(o.get_outcome_display()) for o in person.outcomes.all()],
            },
            "case": {
                "reference": case.reference,
                "municipality": str(case.municipality),
                "opened_at": case.created_at.isoformat(),
                "status": case.get_status_display(),
                "situation": case.summary,
                "timeline": [
                    {
                        "at": entry.occurred_at.isoformat(),
                        "kind": entry.title,
                        "detail": entry.detail,
                        "text": entry.text,
                    }
                    for entry in case_events.show(
                        case.timeline.select_related("actor", "organisation")
                    )
                ],
            },
            "accessed_by": [
                {
                    "at": event.occurred_at.isoformat(),
                    "event": event.action,
                    "user": event.user_label,
                    "organisation_and_role": event.roles,
                    "purpose": event.purpose,
                }
                for event in self.accesses
            ],
        }


def case_subject_record(context: AccessContext, person_id: int) -> CaseSubjectRecord:
    """A case person's data with every audit entry that concerns them; audited as a read."""
    if not subject_access_policy.can(context.actor, Action.VIEW):
        raise PermissionDenied
    person = (
        CasePerson.objects.select_related("case__municipality")
        .prefetch_related("outcomes")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise Http404
    accesses = audit_events_concerning(person)
    audit_record(
        context=context,
        action=AuditAction.READ,
        objects=[person],
        fields=(*CORRECTABLE_FIELDS, "case"),
        purpose="subject access",
        subjects=[person],
    )
    return CaseSubjectRecord(person=person, case=person.case, accesses=accesses)


@transaction.atomic
def case_person_correct(
    *, context: AccessContext, person: CasePerson, changes: dict[str, Any], reason: str
) -> CasePerson:
    """Correct what a case records about a person, at their request. The reason is kept in the
    audit trail and the case's timeline says that a correction was made (not what it was: the
    point of a correction is that the old values go). The hit/no-hit registrations follow."""
    if not subject_access_policy.can(context.actor, Action.CHANGE):
        raise PermissionDenied
    reason = reason_text(reason, message=_("Give the reason for the correction."))
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown or changes.get("sex", "") not in Sex.values or not changes.get("name", "x").strip():
        raise ValidationError(_("These fields cannot be corrected like this."))
    if "nationality_country" in changes:
        changes = {
            **changes,
            "nationality_country": nationality_code(changes["nationality_country"]),
        }
    person = CasePerson.objects.select_for_update().get(pk=person.pk)
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, changes[name])
    if "name" in changed:
        person.name_index = blind_index(person.name, purpose=NAME_INDEX)
    person.save()
    if changed:
        TimelineEntry.objects.create(
            case=person.case,
            kind=CaseEventKind.CORRECTED,
            parameters={"role": person.role, "number": person.number},
            actor_id=context.actor.user_id,
            organisation_id=context.actor.organisation_id,
        )
        hooks.person_corrected(context, person)
    audit_record(
        context=context,
        action=AuditAction.CHANGE,
        objects=[person],
        fields=changed,
        purpose=f"correction (AVG art. 16): {reason}"[:200],
        subjects=[person],
    )
    return person
