"""Whom a confirmed hit tells at once, and what the mail says (never who the person is)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from schakel.core.notify import addresses_of, notify
from schakel.organisations.roles import Capability, roles_with
from schakel.organisations.selectors import memberships_holding


def hit_confirmed(*, organisation_id: int, actor_user_id: int | None) -> int:
    """The organisation whose registration was found learns that another organisation confirmed
    a hit on it and waits for contact: the people of that organisation who may use hit/no-hit."""
    staff = memberships_holding(
        roles=roles_with(Capability.LOOK_UP), organisation_ids=[organisation_id]
    )
    return notify(
        addresses_of(staff, except_user=actor_user_id),
        lambda: (
            _("A hit on one of your registrations was confirmed"),
            _(
                "Another organisation confirmed that a person it looked up could be a person your "
                "organisation registered in hit/no-hit. You find the contact details under "
                "'My hits'. Log in to Schakel to see it."
            ),
        ),
    )
