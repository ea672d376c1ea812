from typing import Any

from django.http import HttpRequest

from .navigation import menu_sections
from .policies import actor_from_request


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = actor_from_request(request)
    match = getattr(request, "resolver_match", None)
    sections = menu_sections(actor, match.view_name if match else None)
    return {
        "menu": sections,
        "menu_current": next((s for s in sections if s.current), None),
        # The header names the role the user acts in when they have more than one.
        "acting": actor if actor.memberships > 1 else None,
    }
