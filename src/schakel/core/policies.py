"""The base of Schakel's access-policy layer.

Every question "may this user see or change this, and which fields?" and "which objects may this
user list?" is answered by one policy object per aggregate, declared in the owning app's
`policies.py` and registered here. Anything a policy does not explicitly allow is denied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from django.db import models
from django.http import HttpRequest

M = TypeVar("M", bound=models.Model)


class Action(StrEnum):
    """What a user wants to do with an object or a kind of object."""

    LIST = "list"
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"


@dataclass(frozen=True)
class Actor:
    """The acting user with their active memberships, resolved once per request.

    `grants` holds (organisation id, municipality id or None, role) triples.
    """

    user_id: int | None
    grants: frozenset[tuple[int, int | None, str]] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(role for _, _, role in self.grants)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def organisations_where(self, *roles: str) -> frozenset[int]:
        return frozenset(org for org, _, role in self.grants if role in roles)

    def municipalities_where(self, *roles: str) -> frozenset[int]:
        return frozenset(mun for _, mun, role in self.grants if role in roles and mun is not None)


ANONYMOUS = Actor(user_id=None)


class Policy(Generic[M]):
    """Default deny: a subclass opens exactly what its rules allow."""

    model: type[M]

    def visible_to(self, actor: Actor) -> models.QuerySet[M]:
        return self.model._default_manager.none()

    def can(self, actor: Actor, action: Action, obj: M | None = None) -> bool:
        return False

    def fields(self, actor: Actor, obj: M) -> frozenset[str]:
        return frozenset()


_registry: dict[type[models.Model], Policy[Any]] = {}


P = TypeVar("P", bound=Policy[Any])


def register(policy: P, *also_for: type[models.Model]) -> P:
    """Make `policy` the one policy for its model (and for `also_for`)."""
    for model in (policy.model, *also_for):
        if model in _registry and _registry[model] is not policy:
            raise ValueError(f"{model.__name__} already has an access policy")
        _registry[model] = policy
    return policy


def policy_for(model: type[M]) -> Policy[M]:
    try:
        return _registry[model]
    except KeyError:
        raise LookupError(f"No access policy is registered for {model.__name__}") from None


def registered_models() -> Iterable[type[models.Model]]:
    return tuple(_registry)


def actor_for(user: Any) -> Actor:
    """Resolve the user's active memberships into an Actor, cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached: Actor | None = getattr(user, "_schakel_actor", None)
    if cached is None:
        from schakel.organisations.selectors import active_grants

        cached = Actor(user_id=user.pk, grants=frozenset(active_grants(user_id=user.pk)))
        user._schakel_actor = cached
    return cached


def actor_from_request(request: HttpRequest) -> Actor:
    return actor_for(getattr(request, "user", None))
