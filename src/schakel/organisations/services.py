"""Writes to the organisational structure. Idempotent upserts keyed on natural keys, so that
loading reference data (the demo region, a municipality's own set-up script) can be repeated."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from .models import Covenant, CovenantCoverage, Membership, Municipality, Organisation, Region, User


def region_ensure(*, name: str) -> Region:
    region, _ = Region.objects.get_or_create(name=name)
    return region


def municipality_ensure(
    *, name: str, cbs_code: str, region: Region, reporting_point: tuple[str, str, str]
) -> Municipality:
    point_name, phone, email = reporting_point
    municipality, _ = Municipality.objects.update_or_create(
        cbs_code=cbs_code,
        defaults={
            "name": name,
            "region": region,
            "reporting_point_name": point_name,
            "reporting_point_phone": phone,
            "reporting_point_email": email,
        },
    )
    return municipality


def organisation_ensure(
    *,
    name: str,
    kind: str,
    region: Region,
    sub_network: str,
    ring: str,
    municipality: Municipality | None = None,
) -> Organisation:
    organisation, _ = Organisation.objects.update_or_create(
        region=region,
        name=name,
        defaults={
            "kind": kind,
            "municipality": municipality,
            "sub_network": sub_network,
            "ring": ring,
        },
    )
    return organisation


@transaction.atomic
def covenant_ensure(
    *,
    name: str,
    region: Region,
    legal_basis: str,
    valid_from: date,
    parties: Iterable[Organisation],
    meeting_types: Iterable[str],
) -> Covenant:
    covenant, _ = Covenant.objects.update_or_create(
        region=region, name=name, defaults={"legal_basis": legal_basis, "valid_from": valid_from}
    )
    covenant.parties.set(list(parties))
    wanted = set(meeting_types)
    covenant.coverages.exclude(meeting_type__in=wanted).delete()
    for meeting_type in wanted:
        CovenantCoverage.objects.get_or_create(covenant=covenant, meeting_type=meeting_type)
    return covenant


@transaction.atomic
def account_ensure(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    memberships: Iterable[tuple[Organisation, str]],
) -> User:
    """Create or update an account with exactly the given (organisation, role) memberships."""
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": email},
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    wanted = {(organisation.pk, role) for organisation, role in memberships}
    for membership in user.memberships.all():
        if (membership.organisation_id, membership.role) not in wanted:
            membership.delete()
    for organisation_id, role in wanted:
        Membership.objects.update_or_create(
            user=user, organisation_id=organisation_id, role=role, defaults={"is_active": True}
        )
    return user
