"""Half-filled forms of a case, for their author only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schakel.core import drafts
from schakel.core.context import AccessContext
from schakel.core.models import Draft

from ..models import (
    Case,
)
from ..policies import (
    CaseAction,
    case_access,
)


def draft_save(
    *, context: AccessContext, form: str, data: Mapping[str, Any], case: Case | None = None
) -> Draft:
    """Keep a half-filled form of the case for its author only (encrypted: it may name people),
    when they may work on the case."""
    context.user_id()
    if case is not None:
        case_access(context, case, CaseAction.POST)
    return drafts.draft_keep(context=context, form=form, data=data, owner=case)


def draft_discard(*, context: AccessContext, form: str, case: Case | None = None) -> None:
    drafts.draft_discard(context=context, form=form, owner=case)
