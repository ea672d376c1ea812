"""What became of the persons of a case: a victim referred to care, sheltered, registered with
CoMensha (several at once), a perpetrator disrupted or prosecuted, or no trafficking at all.
Recorded while the case is open (a victim is sheltered long before the case closes) and when
it closes (lifecycle.case_close). An outcome once recorded stays."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.context import AccessContext

from ..choices import OUTCOMES_BY_ROLE, CaseEventKind, PersonOutcome
from ..models import Case, CasePerson, CasePersonOutcome
from ..policies import CaseAction, case_access
from .steps import _record_step


def check_outcomes(person: CasePerson, outcomes: Collection[str]) -> frozenset[str]:
    """The outcomes as a set, after the field's rules: only those that fit the person's role,
    and "no trafficking" alone."""
    if isinstance(outcomes, str):  # one code, as callers passed before a person had several
        outcomes = {outcomes}
    chosen = frozenset(outcomes) - {PersonOutcome.OPEN.value}
    allowed = OUTCOMES_BY_ROLE.get(person.role, frozenset())
    if not chosen <= allowed:
        raise ValidationError(
            _("%(person)s: choose only outcomes that fit the person's role.")
            % {"person": person.pseudonym}
        )
    if PersonOutcome.NO_TRAFFICKING in chosen and len(chosen) > 1:
        raise ValidationError(
            _("%(person)s: 'No trafficking' cannot be combined with another outcome.")
            % {"person": person.pseudonym}
        )
    return chosen


def _write(context: AccessContext, person: CasePerson, outcomes: frozenset[str]) -> list[str]:
    """Add what is new; what is already recorded stays. Returns the codes added."""
    have = set(person.outcomes.values_list("outcome", flat=True))
    if PersonOutcome.NO_TRAFFICKING in have and outcomes - have:
        raise ValidationError(
            _("%(person)s: 'No trafficking' is recorded; no other outcome can be added.")
            % {"person": person.pseudonym}
        )
    if PersonOutcome.NO_TRAFFICKING in outcomes and have - {PersonOutcome.NO_TRAFFICKING}:
        raise ValidationError(
            _("%(person)s: other outcomes are recorded; 'No trafficking' cannot be added.")
            % {"person": person.pseudonym}
        )
    new = sorted(outcomes - have)
    now = timezone.now()
    CasePersonOutcome.objects.bulk_create(
        CasePersonOutcome(
            person=person, outcome=code, recorded_at=now, recorded_by_id=context.user_id()
        )
        for code in new
    )
    return new


@transaction.atomic
def person_record_outcomes(
    *,
    context: AccessContext,
    case: Case,
    person_id: int,
    outcomes: Collection[str],
) -> list[str]:
    """Record what became of one person of an open case (returns the codes added). Those who
    record outcomes of interventions record these too (CaseAction.RECORD_OUTCOME)."""
    case = case_access(context, case, CaseAction.RECORD_OUTCOME, lock=True)
    person = case.persons.filter(pk=person_id).first()
    if person is None:
        raise ValidationError(_("This person is not part of the case."))
    chosen = check_outcomes(person, outcomes)
    if not chosen:
        raise ValidationError(_("Choose at least one outcome."))
    new = _write(context, person, chosen)
    if new:
        _record_step(
            context,
            case,
            CaseEventKind.OUTCOMES,
            parameters={
                "person": person.pk,
                "role": person.role,
                "number": person.number,
                "outcomes": new,
            },
            subjects=[person],
        )
    return new


def _outcomes_at_close(
    persons: list[CasePerson], outcomes: Mapping[int, Collection[str]]
) -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """For case_close, before anything is written: per person the chosen outcomes (checked
    against the rules) and everything they will have (recorded before, and chosen now)."""
    chosen = {p.pk: check_outcomes(p, outcomes.get(p.pk, ())) for p in persons}
    total = {p.pk: frozenset(o.outcome for o in p.outcomes.all()) | chosen[p.pk] for p in persons}
    return chosen, total


def _write_at_close(
    context: AccessContext, persons: list[CasePerson], chosen: Mapping[int, frozenset[str]]
) -> None:
    for person in persons:
        if chosen[person.pk]:
            _write(context, person, chosen[person.pk])
