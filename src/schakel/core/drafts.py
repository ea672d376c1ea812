"""Drafts of long forms, for their author only. The owning app checks that the author may use
the form on what the draft belongs to; this module keeps, returns and removes them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import models

from .context import AccessContext
from .models import Draft


def owner_key(owner: models.Model | None) -> str:
    return f"{owner._meta.label}:{owner.pk}" if owner is not None else ""


def draft_keep(
    *, context: AccessContext, form: str, data: Mapping[str, Any], owner: models.Model | None
) -> Draft:
    draft, _created = Draft.objects.update_or_create(
        author_id=context.user_id(),
        form=form[:40],
        owner=owner_key(owner),
        defaults={"data": json.dumps(dict(data))},
    )
    return draft


def draft_of(context: AccessContext, form: str, owner: models.Model | None = None) -> Draft | None:
    """The actor's own draft of this form; nobody else's, ever."""
    if context.actor.user_id is None:
        return None
    return Draft.objects.filter(
        author_id=context.actor.user_id, form=form, owner=owner_key(owner)
    ).first()


def draft_data(draft: Draft | None) -> dict[str, Any] | None:
    if draft is None:
        return None
    data = json.loads(draft.data)
    return data if isinstance(data, dict) else None


def draft_discard(*, context: AccessContext, form: str, owner: models.Model | None = None) -> None:
    if context.actor.user_id is not None:
        Draft.objects.filter(
            author_id=context.actor.user_id, form=form, owner=owner_key(owner)
        ).delete()


def drafts_drop(*owners: models.Model) -> int:
    """Every author's drafts of what is closed or anonymised."""
    deleted, _ = Draft.objects.filter(owner__in=[owner_key(o) for o in owners]).delete()
    return deleted


def drafts_older_than(moment: datetime) -> int:
    deleted, _ = Draft.objects.filter(saved_at__lt=moment).delete()
    return deleted
