"""Who is asking, from where: passed into every selector and service that touches case data,
so that the policy check and the audit entry see the same facts."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .policies import Actor, actor_from_request


@dataclass(frozen=True)
class AccessContext:
    actor: Actor
    access_point: str
    ip_address: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> AccessContext:
        return cls(
            actor=actor_from_request(request),
            access_point=f"{request.method} {request.path}",
            ip_address=request.META.get("REMOTE_ADDR"),
        )

    def user_id(self) -> int:
        """The acting user's id, for a write that records who did it; nobody else may write."""
        if self.actor.user_id is None:
            raise PermissionDenied
        return self.actor.user_id

    def organisation_id(self) -> int:
        """The organisation the actor acts for, for a write that names it."""
        if self.actor.organisation_id is None:
            raise PermissionDenied
        return self.actor.organisation_id

    @classmethod
    def system(cls, actor: Actor, name: str) -> AccessContext:
        """For management commands and the demo loader."""
        return cls(actor=actor, access_point=f"command {name}")
