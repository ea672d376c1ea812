"""The persons of a case: added after a search, numbered per role."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from schakel.core.context import AccessContext
from schakel.core.crypto import blind_index
from schakel.intake.choices import PersonRole, Sex
from schakel.intake.nationality import nationality_code

from .. import hooks
from ..choices import CaseEventKind
from ..models import (
    Case,
    CasePerson,
)
from ..policies import (
    CaseAction,
    case_access,
)
from .steps import _record_step

NAME_INDEX = "person-name"  # the blind-index purpose shared with intake's persons


def _next_number(case: Case, role: str) -> int:
    highest = case.persons.filter(role=role).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


@transaction.atomic
def case_person_add(
    *,
    context: AccessContext,
    case: Case,
    role: str,
    name: str,
    date_of_birth: str = "",
    sex: str = "",
    nationality_country: str | None = None,
    nationality: str = "",
    same_as: CasePerson | None = None,
) -> CasePerson:
    """Add a person after searching (cases.selectors.case_person_matches): either confirmed new,
    or `same_as` a person found in a case the actor may see by name. The same person twice in
    one case is not added again."""
    case = case_access(context, case, CaseAction.ADD_PERSON, lock=True)
    if role not in PersonRole.values or not name.strip() or sex not in Sex.values:
        raise ValidationError(_("Give the person's role and name."))
    country = nationality_code(nationality_country, nationality)
    if same_as is not None:
        # Only a person the actor may see by name, in a case they see.
        case_access(context, same_as.case, CaseAction.SEE_PERSONS)
        if same_as.case_id == case.pk:
            return same_as
    person = CasePerson.objects.create(
        case=case,
        role=role,
        number=_next_number(case, role),
        name=name.strip(),
        name_index=blind_index(name, purpose=NAME_INDEX),
        date_of_birth=date_of_birth.strip(),
        sex=sex,
        nationality_country=country,
        nationality=nationality.strip()[:80],
        same_as=same_as,
    )
    _record_step(
        context,
        case,
        CaseEventKind.PERSON,
        parameters={"role": person.role, "number": person.number},
        subjects=[person],
    )
    hooks.persons_shown(context, case)
    return person
