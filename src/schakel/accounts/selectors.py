"""The yearly access-rights review: every active account, its memberships and what needs a look.

Reading it is audited (LIST on screen, EXPORT for the CSV), like every read of personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext
from schakel.core.policies import Action
from schakel.organisations.choices import Role
from schakel.organisations.models import Membership, User
from schakel.organisations.roles import Capability, roles_with

from .policies import rights_review_policy

REVIEW_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "last_login",
    "date_joined",
    "memberships",
    "second factor",
)


@dataclass(frozen=True)
class ReviewedMembership:
    organisation: str
    organisation_active: bool
    role: str
    role_label: str
    since: datetime


@dataclass(frozen=True)
class AccountReview:
    user_id: int
    username: str
    full_name: str
    email: str
    last_login: datetime | None
    date_joined: datetime
    memberships: tuple[ReviewedMembership, ...]
    second_factor_enrolled: bool
    # Flags: what the reviewer should look at.
    no_recent_login: bool
    second_factor_missing: bool
    inactive_organisation: bool

    @property
    def flagged(self) -> bool:
        return self.no_recent_login or self.second_factor_missing or self.inactive_organisation


def _inactive_since(now: datetime) -> datetime:
    days: int = getattr(settings, "SCHAKEL_REVIEW_INACTIVE_DAYS", 90)
    return now - timedelta(days=days)


def _review(user: User, *, enrolled: bool, threshold: datetime) -> AccountReview:
    memberships = tuple(
        ReviewedMembership(
            organisation=m.organisation.name,
            organisation_active=m.organisation.is_active,
            role=m.role,
            role_label=str(Role(m.role).label) if m.role in Role.values else m.role,
            since=m.created_at,
        )
        for m in user.memberships.all()
    )
    # A second factor is needed for roles that see personal data in an active organisation.
    needs_second_factor = any(
        m.organisation_active and m.role in roles_with(Capability.PERSONAL_DATA)
        for m in memberships
    )
    last_seen = user.last_login or user.date_joined
    return AccountReview(
        user_id=user.pk,
        username=user.username,
        full_name=user.get_full_name(),
        email=user.email,
        last_login=user.last_login,
        date_joined=user.date_joined,
        memberships=memberships,
        second_factor_enrolled=enrolled,
        no_recent_login=last_seen < threshold,
        second_factor_missing=needs_second_factor and not enrolled,
        inactive_organisation=any(not m.organisation_active for m in memberships),
    )


def rights_review(context: AccessContext, *, export: bool = False) -> list[AccountReview]:
    """Every active account the actor may review, with its active memberships and flags."""
    if not rights_review_policy.can(context.actor, Action.LIST):
        raise PermissionDenied
    visible = rights_review_policy.visible_to(context.actor)
    users = list(
        User.objects.filter(pk__in=visible.values("pk"))
        .order_by("username")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(is_active=True)
                .select_related("organisation")
                .order_by("organisation__name", "role"),
            )
        )
    )
    enrolled = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=visible.values("pk")).values_list(
            "user_id", flat=True
        )
    )
    threshold = _inactive_since(timezone.now())
    reviews = [_review(u, enrolled=u.pk in enrolled, threshold=threshold) for u in users]
    audit_record(
        context=context,
        action=AuditAction.EXPORT if export else AuditAction.LIST,
        objects=users,
        fields=REVIEW_FIELDS,
        purpose="rights review",
    )
    return reviews
