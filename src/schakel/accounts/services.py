"""Writes about a user's second factor: enrolling an authenticator app, recovery codes, using a
code, and turning the second factor off or resetting it.

Every change to someone's second factor is written to the audit log, in the same transaction.
Whether the *session* may make the change (verified or not) is decided by the caller and passed
in, because only the request knows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.access import requires_second_factor
from schakel.core.context import AccessContext
from schakel.organisations.models import User

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code entered on the verify page."""

    device: Any = None  # the device that accepted the code, or None
    throttled: bool = False  # too many wrong codes: the device refuses for a while
    recovery_code_used: bool = False
    recovery_codes_left: int = 0

    @property
    def accepted(self) -> bool:
        return self.device is not None


def normalise_code(code: str) -> str:
    """People type codes with spaces or dashes, in either case."""
    return "".join(ch for ch in code if ch.isalnum()).lower()


def totp_device_of(*, user: User) -> Any:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(*, user: User) -> int:
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def second_factor_enrolment_start(*, user: User, session_verified: bool) -> Any:
    """The unconfirmed authenticator device whose secret is shown; the same one on every reload.

    Replacing a confirmed device needs a verified session: a stolen password alone must not be
    enough to move someone's second factor to the thief's phone.
    """
    if totp_device_of(user=user) is not None and not session_verified:
        raise PermissionDenied
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def second_factor_enrol(
    *, context: AccessContext, user: User, code: str, session_verified: bool
) -> tuple[Any, list[str]] | None:
    """Confirm the new authenticator with its first code; returns the device and fresh recovery
    codes, or None when the code is wrong (wrong codes are throttled by the device)."""
    if totp_device_of(user=user) is not None and not session_verified:
        raise PermissionDenied
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None or not device.verify_token(normalise_code(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _replace_recovery_codes(user)
        audit_record(
            context=context,
            action=AuditAction.CHANGE,
            objects=[user],
            fields=["second factor", "recovery codes"],
            purpose="two-factor authentication enrolled",
        )
    return device, codes


def recovery_codes_renew(
    *, context: AccessContext, user: User, session_verified: bool
) -> list[str]:
    """New recovery codes replace the old ones; only from a verified session."""
    if not session_verified or totp_device_of(user=user) is None:
        raise PermissionDenied
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        audit_record(
            context=context,
            action=AuditAction.CHANGE,
            objects=[user],
            fields=["recovery codes"],
            purpose="recovery codes renewed",
        )
    return codes


def second_factor_check(*, context: AccessContext, user: User, code: str) -> CodeCheck:
    """Try a code: six digits go to the authenticator, anything else to the recovery codes.

    Each device throttles wrong codes with exponential back-off (django-otp's ThrottlingMixin);
    a recovery code that works is deleted, so it works once.
    """
    code = normalise_code(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None or not code:
        return CodeCheck()
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(throttled=True)
    accepted = verify_token(user, device.persistent_id, code)
    if accepted is None:
        return CodeCheck()
    if model is TOTPDevice:
        return CodeCheck(device=accepted)
    left = recovery_codes_left(user=user)
    audit_record(
        context=context,
        action=AuditAction.CHANGE,
        objects=[user],
        fields=["recovery codes"],
        purpose="recovery code used to log in",
    )
    return CodeCheck(device=accepted, recovery_code_used=True, recovery_codes_left=left)


def second_factor_turn_off(*, context: AccessContext, user: User, session_verified: bool) -> None:
    """A user whose roles do not require it may stop using a second factor (verified only)."""
    if not session_verified or requires_second_factor(context.actor):
        raise PermissionDenied
    with transaction.atomic():
        _delete_devices(user)
        audit_record(
            context=context,
            action=AuditAction.CHANGE,
            objects=[user],
            fields=["second factor", "recovery codes"],
            purpose="two-factor authentication turned off",
        )


def second_factor_reset(*, context: AccessContext, user: User) -> None:
    """For the management command: the user lost both phone and recovery codes and enrols anew
    at the next login. Whoever runs it must have checked the user's identity out of band."""
    with transaction.atomic():
        _delete_devices(user)
        audit_record(
            context=context,
            action=AuditAction.CHANGE,
            objects=[user],
            fields=["second factor", "recovery codes"],
            purpose="two-factor authentication reset",
        )


def _delete_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _new_recovery_code() -> str:
    # Always with a letter, so a recovery code is never mistaken for an authenticator code.
    while True:
        code: str = StaticToken.random_token()
        if not code.isdigit():
            return code


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
