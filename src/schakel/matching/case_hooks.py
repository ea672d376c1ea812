"""The registry keeps step with the cases (registered with cases.hooks when the app is ready)."""

from __future__ import annotations

from schakel.cases.models import Case, CasePerson
from schakel.core.context import AccessContext

from .models import Involvement
from .services import case_register_involvements


def register(context: AccessContext, case: Case) -> None:
    case_register_involvements(context=context, case=case)


def organisation_left(case: Case, organisation_id: int) -> None:
    """It no longer takes part: its registrations of the case's persons go with it."""
    Involvement.objects.filter(case_person__case=case, organisation_id=organisation_id).delete()


def person_corrected(context: AccessContext, person: CasePerson) -> None:
    """The old encodings go; the corrected data are registered again."""
    Involvement.objects.filter(case_person=person).delete()
    case_register_involvements(context=context, case=person.case)


def anonymised(case: Case) -> None:
    Involvement.objects.filter(case_person__case=case).delete()


def connect() -> None:
    from schakel.cases.hooks import listeners

    listeners.persons_shown.append(register)
    listeners.organisation_left.append(organisation_left)
    listeners.person_corrected.append(person_corrected)
    listeners.anonymised.append(anonymised)
