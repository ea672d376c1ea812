"""Telling people that something waits for them, by mail, without its content.

A notification is a real message to a real person: one message per address, so nobody sees
who else was told, in the installation's language, and never with case content (a mailbox is
not always private: DOMAIN.md §11). The message says where to look; Schakel shows the rest after
login. Services call `notify` from `transaction.on_commit`, so a refused step mails nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation


def notify(addresses: Iterable[str], message: Callable[[], tuple[str, str]]) -> int:
    """Send `message()` (subject, body), built in the installation's language, to each address
    once. Returns how many were sent."""
    recipients = sorted({address for address in addresses if address})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = message()
    return send_mass_mail([(subject, body, None, [address]) for address in recipients])


def addresses_of(memberships: Iterable[object], *, except_user: int | None = None) -> list[str]:
    """The e-mail addresses of the people holding these memberships (a Membership queryset or
    list), without the acting user: nobody is told of their own step."""
    found = []
    for membership in memberships:
        user = membership.user  # type: ignore[attr-defined]
        if user.pk != except_user and user.is_active and user.email:
            found.append(user.email)
    return found
