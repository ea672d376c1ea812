from collections.abc import Iterable

from schakel.core.policies import Actor

from .models import Membership


def active_grants(*, user_id: int) -> list[tuple[int, int | None, str]]:
    """(organisation, municipality, role) for each active membership of an active organisation."""
    return list(
        Membership.objects.filter(
            user_id=user_id, is_active=True, organisation__is_active=True
        ).values_list("organisation_id", "organisation__municipality_id", "role")
    )


def memberships_of(*, actor: Actor, roles: Iterable[str]) -> list[Membership]:
    """The actor's own active memberships in the given roles (their own account data)."""
    if actor.user_id is None:
        return []
    return list(
        Membership.objects.filter(
            user_id=actor.user_id,
            is_active=True,
            organisation__is_active=True,
            role__in=list(roles),
        )
        .select_related("organisation__municipality", "organisation__region")
        .order_by("organisation__name", "role")
    )
