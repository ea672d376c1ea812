from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from schakel.core.policies import Actor, Grant

from .models import Covenant, Membership, Municipality, Organisation


def active_memberships(*, user_id: int) -> list[tuple[int, Grant]]:
    """(membership id, (organisation, municipality, role)) for each active membership of the
    user in an active organisation, oldest first."""
    return [
        (pk, (organisation, municipality, role))
        for pk, organisation, municipality, role in Membership.objects.filter(
            user_id=user_id, is_active=True, organisation__is_active=True
        )
        .order_by("pk")
        .values_list("pk", "organisation_id", "organisation__municipality_id", "role")
    ]


def membership_facts(user_id: int) -> tuple[list[tuple[int, Grant]], bool]:
    """What core.policies.actor_for needs of a user: the active memberships, and whether one of
    them is in a role that sees personal data (the second factor)."""
    from .roles import Capability, roles_with

    memberships = active_memberships(user_id=user_id)
    sensitive = roles_with(Capability.PERSONAL_DATA)
    return memberships, any(role in sensitive for _, (_, _, role) in memberships)


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


def covered_organisations(
    *, organisation_ids: Iterable[int], region_id: int, meeting_type: str, on: date
) -> frozenset[int]:
    """Of these organisations, the ones that are party to a covenant of the region that covers
    this meeting type and is in force on that date: the one rule for sharing personal data in a
    meeting or a case (DOMAIN.md §4, §7)."""
    wanted = frozenset(organisation_ids)
    return (
        frozenset(
            Covenant.objects.filter(
                region_id=region_id,
                coverages__meeting_type=meeting_type,
                valid_from__lte=on,
                parties__in=wanted,
            )
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            .values_list("parties", flat=True)
            .distinct()
        )
        & wanted
    )


def organisations_holding(*, organisation_ids: Iterable[int], roles: Iterable[str]) -> set[int]:
    """Of these organisations, those with an active member in one of the roles."""
    return set(
        Membership.objects.filter(
            organisation__in=list(organisation_ids),
            role__in=list(roles),
            is_active=True,
            user__is_active=True,
        ).values_list("organisation_id", flat=True)
    )


def memberships_holding(
    *,
    roles: Iterable[str],
    organisation_ids: Iterable[int] | None = None,
    region_id: int | None = None,
) -> QuerySet[Membership]:
    """Active memberships of active people in these roles, of these organisations or of every
    organisation of the region: whom to tell (the caller decides why)."""
    memberships = Membership.objects.filter(
        role__in=list(roles), is_active=True, user__is_active=True, organisation__is_active=True
    )
    if organisation_ids is not None:
        memberships = memberships.filter(organisation__in=list(organisation_ids))
    if region_id is not None:
        memberships = memberships.filter(organisation__region_id=region_id)
    return memberships.select_related("user", "organisation")


def region_of_organisation(organisation_id: int | None) -> int | None:
    """The region an organisation belongs to (a regional adviser reads its figures)."""
    if organisation_id is None:
        return None
    return (
        Organisation.objects.filter(pk=organisation_id).values_list("region_id", flat=True).first()
    )


def organisation_name_of(organisation_id: int | None) -> str:
    """The organisation's name ("" for none): the sender named in an export."""
    if organisation_id is None:
        return ""
    found = Organisation.objects.filter(pk=organisation_id).values_list("name", flat=True).first()
    return found or ""


def municipalities_of_region(region_id: int) -> QuerySet[Municipality]:
    return Municipality.objects.filter(region_id=region_id).order_by("name")


def covenants_signed(
    *, organisation_ids: Iterable[int], on: date
) -> dict[int, list[tuple[str, date | None]]]:
    """Per organisation, the covenants it is party to that are in force on that date: (name,
    valid until), by name (the partner directory)."""
    signed: dict[int, list[tuple[str, date | None]]] = {}
    rows = (
        Covenant.parties.through.objects.filter(
            organisation_id__in=list(organisation_ids), covenant__valid_from__lte=on
        )
        .filter(Q(covenant__valid_until__isnull=True) | Q(covenant__valid_until__gte=on))
        .order_by("covenant__name")
        .values_list("organisation_id", "covenant__name", "covenant__valid_until")
    )
    for organisation, name, until in rows:
        signed.setdefault(organisation, []).append((name, until))
    return signed


def active_holders_count(*, municipality_id: int, role: str) -> int:
    """How many people hold the role in an active membership of an active organisation of the
    municipality (the self-assessment's "an AF OOV is active")."""
    return (
        Membership.objects.filter(
            role=role,
            is_active=True,
            user__is_active=True,
            organisation__is_active=True,
            organisation__municipality_id=municipality_id,
        )
        .values("user")
        .distinct()
        .count()
    )


def covenants_in_force_count(*, municipality_id: int, on: date) -> int:
    """The covenants an organisation of the municipality is party to that are in force on the
    date."""
    return (
        Covenant.objects.filter(parties__municipality_id=municipality_id, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .distinct()
        .count()
    )
