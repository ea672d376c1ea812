"""Who is asking, from where: passed into every selector and service that touches case data,
so that the policy check and the audit entry see the same facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .policies import Actor, actor_from_request


@dataclass(frozen=True)
class AccessContext:
    actor: Actor
    access_point: str
    ip_address: str | None = None
    # Facts resolved once per context (so once per request or command) by whoever needs them:
    # the audit log keeps the acting user's name and role label here. Not part of equality.
    memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_request(cls, request: HttpRequest) -> AccessContext:
        """One context per request (kept on it), so its memo serves the whole request; a new one
        when the actor changed meanwhile (the user chose another membership)."""
        actor = actor_from_request(request)
        kept: AccessContext | None = getattr(request, "_schakel_access_context", None)
        if kept is not None and kept.actor is actor:
            return kept
        context = cls(
            actor=actor,
            access_point=f"{request.method} {request.path}",
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        request._schakel_access_context = context  # type: ignore[attr-defined]
        return context

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
