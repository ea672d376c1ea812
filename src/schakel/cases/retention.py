"""Retention of cases: once its term has passed, a closed case loses everything that can identify
a person, and keeps what the annual report counts (dates, forms of exploitation, direction, and
per person the role, sex and outcome). A legal hold stops it.

A case whose persons all ended as "no trafficking" is kept 1 year after closing, any other
closed case 5 years (SCHAKEL_RETENTION_DAYS, docs/privacy.md)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core import drafts
from schakel.core.context import AccessContext

from . import hooks
from .choices import CaseStatus, PersonOutcome
from .models import Case, CasePerson


def cases_past_retention(today: date) -> QuerySet[Case]:
    terms = settings.SCHAKEL_RETENTION_DAYS
    short = today - timedelta(days=terms["case_no_trafficking"])
    long = today - timedelta(days=terms["case_closed"])
    # A person without "no trafficking" ("none" excludes every other outcome).
    other_outcome = CasePerson.objects.filter(case=OuterRef("pk")).exclude(
        outcomes__outcome=PersonOutcome.NO_TRAFFICKING
    )
    return Case.objects.filter(
        Q(~Exists(other_outcome), closed_at__date__lt=short) | Q(closed_at__date__lt=long),
        status=CaseStatus.CLOSED,
        legal_hold=False,
        anonymised_at__isnull=True,
    )


@transaction.atomic
def case_anonymise(*, context: AccessContext, case: Case) -> None:
    """Irreversibly remove the personal content of a closed case (retention)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.legal_hold or case.anonymised_at is not None or case.status != CaseStatus.CLOSED:
        return
    persons = list(case.persons.all())  # named in the audit entry before they are wiped
    case.persons.update(
        name="", name_index="", date_of_birth="", nationality="", nationality_country=""
    )
    hooks.anonymised(case)
    case.timeline.update(text="")
    case.participants.update(justification="")
    case.agreements.update(text="")
    case.referrals.update(reason="", answer="")
    case.interventions.update(description="", outcome="", urgent_override_reason="")
    case.proposals.update(text="", decision_note="")
    case.agenda_items.update(discussion="", decisions="", deviation_reason="")
    drafts.drafts_drop(case)
    case.summary = ""
    case.anonymised_at = timezone.now()
    case.save(update_fields=["summary", "anonymised_at", "updated_at"])
    audit_record(
        context=context,
        action=AuditAction.CHANGE,
        objects=[case],
        fields=("persons", "summary", "timeline", "agreements", "referrals", "interventions"),
        purpose="retention: anonymised",
        subjects=persons,
    )
