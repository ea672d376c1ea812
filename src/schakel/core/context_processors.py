from typing import Any

from django.http import HttpRequest

from .navigation import menu_for
from .policies import actor_from_request


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = actor_from_request(request)
    return {
        "menu": menu_for(actor),
        # The header names the role the user acts in when they have more than one.
        "acting": actor if actor.memberships > 1 else None,
    }
