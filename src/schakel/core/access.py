"""Declaring, on every view, which access rule governs it.

The URL-walk test (tests/test_every_view_is_governed.py) fails for a view without a declaration,
so a new screen cannot ship without saying who may open it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from .policies import Action, Policy, actor_from_request

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
            if not policy.can(actor, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapper, ACCESS_ATTRIBUTE, (policy, action))
        return wrapper

    return decorate
