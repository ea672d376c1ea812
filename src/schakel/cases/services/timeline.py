"""What participants record on the timeline by hand, and the steps other apps record."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.context import AccessContext
from schakel.core.text import clean_text

from ..choices import (
    RECORDED_BY_OTHER_APPS,
    TimelineKind,
)
from ..decisions import Suspected, big_decision_in
from ..models import (
    Case,
    Proposal,
    TimelineEntry,
)
from ..policies import (
    CaseAction,
    case_access,
)
from .proposals import proposal_create
from .steps import _record_step


class LooksLikeBigDecision(Exception):
    """The entry's words read like a decision the case meeting takes: nothing is saved until its
    author says it is a proposal, or that it is not a big decision (`plain_confirmed`)."""

    def __init__(self, suspected: Suspected) -> None:
        super().__init__(suspected.label)
        self.suspected = suspected


@transaction.atomic
def timeline_post(
    *,
    context: AccessContext,
    case: Case,
    kind: str,
    text: str,
    happened_on: date | None = None,
    corrects: TimelineEntry | None = None,
    decision_kind: str = "",
    plain_confirmed: bool = False,
) -> TimelineEntry | Proposal:
    """A participant records what it did. The timeline is append-only: a correction is a new
    entry pointing at the one it corrects. Every entry is asked whether it takes a big decision
    (cases/decisions.py), whatever its label: one chosen in `decision_kind` becomes a proposal
    for the case meeting and takes no effect until approved; words that read like one raise
    LooksLikeBigDecision unless the author confirmed it is a plain entry."""
    case = case_access(context, case, CaseAction.POST, lock=True)
    if kind not in TimelineKind.values or not clean_text(text):
        raise ValidationError(_("Choose what you record and describe it."))
    if happened_on is not None and happened_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if corrects is not None and corrects.case_id != case.pk:
        raise ValidationError(_("A correction belongs to the same case."))
    if decision_kind:
        return proposal_create(context=context, case=case, kind=decision_kind, text=text)
    suspected = big_decision_in(text, case.municipality_id)
    if suspected is not None and not plain_confirmed:
        raise LooksLikeBigDecision(suspected)
    return _record_step(
        context, case, kind, text.strip(), happened_on=happened_on, corrects=corrects
    )


@transaction.atomic
def timeline_record(
    *,
    context: AccessContext,
    case: Case,
    kind: str,
    parameters: Mapping[str, Any],
    text: str = "",
) -> TimelineEntry:
    """Another app's step on the case's timeline (an inspection planned, its findings), by a
    participant: one of the kinds other apps record (RECORDED_BY_OTHER_APPS; that app
    registers its renderer), never a hand-posted one."""
    case = case_access(context, case, CaseAction.POST, lock=True)
    if kind not in RECORDED_BY_OTHER_APPS:
        raise ValidationError(_("This is not a step the timeline records."))
    return _record_step(context, case, kind, clean_text(text), parameters=parameters)
