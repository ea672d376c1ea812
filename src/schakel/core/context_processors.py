from typing import Any

from django.http import HttpRequest

from .navigation import menu_for
from .policies import actor_from_request


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"menu": menu_for(actor_from_request(request))}
