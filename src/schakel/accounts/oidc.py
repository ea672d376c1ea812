"""Optional login through the municipality's identity provider (OpenID Connect).

Mounted only when SCHAKEL_OIDC_ENABLED (config/urls.py). The provider says who someone is; what
they may do still follows from their memberships. Only existing, active accounts are matched, on
e-mail address; Schakel never creates an account from a login. A second factor is still asked
for the roles that need one: Schakel cannot see whether the provider asked for one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.urls import path
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from schakel.core.access import public, second_factor_redirect, second_factor_satisfied
from schakel.organisations.models import User


class ExistingAccountBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = (claims.get("email") or "").strip()
        # An address the provider has not verified proves nothing about who logs in.
        if not email or claims.get("email_verified") is False:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> User:
        raise SuspiciousOperation("Schakel does not create accounts from an OpenID Connect login")


class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """After the provider's login, straight on to the code page when the user needs one."""

    @property
    def success_url(self) -> str:
        url: str = super().success_url
        if not second_factor_satisfied(self.request):
            return second_factor_redirect(self.request, url).url
        return url


# The URL names are the ones mozilla-django-oidc reverses; the views are public (the login).
urlpatterns = [
    path(
        "authenticate/",
        public(OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "callback/",
        public(CallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
