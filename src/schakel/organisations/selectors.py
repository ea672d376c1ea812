from collections.abc import Iterable

from django.db.models import QuerySet

from schakel.core.policies import Actor

from .models import Membership, Municipality


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


def municipalities() -> QuerySet[Municipality]:
    """Reference data: the municipalities and their reporting points (no personal data)."""
    return Municipality.objects.order_by("name")


def municipality_by_code(cbs_code: str) -> Municipality | None:
    return Municipality.objects.filter(cbs_code__iexact=cbs_code).first()
