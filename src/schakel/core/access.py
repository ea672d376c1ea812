"""Declaring, on every view, which access rule governs it.

The URL-walk test (tests/test_every_view_is_governed.py) fails for a view without a declaration,
so a new screen cannot ship without saying who may open it.

The second factor is enforced here too, in one place: `governed` views (the only ones that show
data beyond the user's own account) open only once `second_factor_satisfied(request)`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from .policies import Action, Actor, Policy, actor_from_request

View = Callable[..., HttpResponseBase]
ACCESS_ATTRIBUTE = "schakel_access"


def public(view: View) -> View:
    """Open to anyone, logged in or not (login page, language switch, public forms)."""
    setattr(view, ACCESS_ATTRIBUTE, "public")
    return view


def authenticated(view: View) -> View:
    """Any logged-in user; the view shows nothing beyond the user's own account."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not actor_from_request(request).is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    setattr(wrapper, ACCESS_ATTRIBUTE, "authenticated")
    return wrapper


def governed(policy: Policy[Any], action: Action) -> Callable[[View], View]:
    """The view needs `policy.can(actor, action)`; object-level checks run in its selectors."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            actor = actor_from_request(request)
            if not actor.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not second_factor_satisfied(request):
                return second_factor_redirect(request, request.get_full_path())
            if actor.needs_choice:
                return membership_choice_redirect(request.get_full_path())
            if not policy.can(actor, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapper, ACCESS_ATTRIBUTE, (policy, action))
        return wrapper

    return decorate


def membership_choice_redirect(next_url: str) -> HttpResponseRedirect:
    """A user with several memberships first says which one they act for."""
    return HttpResponseRedirect(f"{reverse('accounts:act_as')}?{urlencode({'next': next_url})}")


# --- The second factor ------------------------------------------------------------------------


def requires_second_factor(actor: Actor) -> bool:
    """The actor holds a role that sees personal data, and the installation requires 2FA there."""
    # Any membership counts, not only the acting one: switching memberships must not skip it.
    return bool(
        getattr(settings, "SCHAKEL_REQUIRE_SECOND_FACTOR", True) and actor.sees_personal_data
    )


def second_factor_enrolled(user: Any) -> bool:
    """The user has a confirmed device (authenticator app or recovery codes); cached per request."""
    cached: bool | None = getattr(user, "_schakel_second_factor_enrolled", None)
    if cached is None:
        from django_otp import user_has_device

        cached = bool(user_has_device(user, confirmed=True))
        user._schakel_second_factor_enrolled = cached
    return cached


def second_factor_verified(request: HttpRequest) -> bool:
    """This session was confirmed with a code (needs django_otp's OTPMiddleware)."""
    is_verified = getattr(getattr(request, "user", None), "is_verified", None)
    return bool(is_verified is not None and is_verified())


def second_factor_needed(request: HttpRequest) -> bool:
    """The user must confirm this session with a code: their role requires it, or they enrolled
    voluntarily (a second factor that is never asked for protects nothing)."""
    actor = actor_from_request(request)
    if not actor.is_authenticated:
        return False
    return requires_second_factor(actor) or second_factor_enrolled(request.user)


def second_factor_satisfied(request: HttpRequest) -> bool:
    """A logged-in user who needs no second factor, or whose session is verified with one.

    False for anonymous visitors. The admin site asks this in `has_permission`.
    """
    if not actor_from_request(request).is_authenticated:
        return False
    return second_factor_verified(request) or not second_factor_needed(request)


def second_factor_redirect(request: HttpRequest, next_url: str) -> HttpResponseRedirect:
    """To the code page (or, without a device yet, to enrolment), coming back to `next_url`."""
    target = "accounts:verify" if second_factor_enrolled(request.user) else "accounts:enrol"
    return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
