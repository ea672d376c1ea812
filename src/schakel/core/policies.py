"""The base of Schakel's access-policy layer.

Every question "may this user see or change this, and which fields?" and "which objects may this
user list?" is answered by one policy object per aggregate, declared in the owning app's
`policies.py` and registered here. Anything a policy does not explicitly allow is denied.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest

from .workflow import TransitionRefused

M = TypeVar("M", bound=models.Model)


class Action(StrEnum):
    """What a user wants to do with a kind of object (the coarse question a view's declaration
    asks). Aggregates with real state declare their own actions (`CaseAction`, `MeetingAction`
    …) and answer them in their policy's `can`."""

    LIST = "list"
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"


Grant = tuple[int, int | None, str]  # (organisation id, its municipality id or None, role)


@dataclass(frozen=True)
class Actor:
    """The acting user, in the one membership they act for, resolved once per request.

    A user with several memberships acts for one at a time and chooses which (stored in the
    session): what they may do, the organisation a timeline entry names and the role the audit
    log records all follow from that membership. Until they choose, `needs_choice` is set and the
    actor holds no grant at all.
    """

    user_id: int | None
    membership_id: int | None = None
    grant: Grant | None = None
    # Every role the user holds in an active membership: for the second-factor rule, which asks
    # for the strongest of them, and for the choice of membership.
    held_roles: frozenset[str] = field(default_factory=frozenset)
    memberships: int = 0
    needs_choice: bool = False
    # One of the user's memberships is in a role that sees personal data: the second factor is
    # asked whatever membership they act in.
    sees_personal_data: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def grants(self) -> frozenset[Grant]:
        return frozenset({self.grant}) if self.grant else frozenset()

    @property
    def organisation_id(self) -> int | None:
        """The organisation the actor acts for."""
        return self.grant[0] if self.grant else None

    @property
    def municipality_id(self) -> int | None:
        return self.grant[1] if self.grant else None

    @property
    def role(self) -> str | None:
        return self.grant[2] if self.grant else None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset({self.grant[2]}) if self.grant else frozenset()

    def has_role(self, *roles: str) -> bool:
        return self.grant is not None and self.grant[2] in roles

    def organisations_where(self, *roles: str) -> frozenset[int]:
        if self.grant is None or self.grant[2] not in roles:
            return frozenset()
        return frozenset({self.grant[0]})

    def municipalities_where(self, *roles: str) -> frozenset[int]:
        if self.grant is None or self.grant[2] not in roles or self.grant[1] is None:
            return frozenset()
        return frozenset({self.grant[1]})


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


class NotFound(Http404):
    """Missing and forbidden alike: an object the actor may not see does not exist for them."""


A = TypeVar("A", bound=StrEnum)  # the actions of one aggregate
R = TypeVar("R", bound=StrEnum)  # the relations an actor can have to it


@dataclass(frozen=True)
class Rule(Generic[R]):
    """Who may take an action (an actor holding any of the relations) and in which states of
    the aggregate (None: in every state)."""

    who: frozenset[R]
    states: frozenset[str] | None = None


class AggregatePolicy(Policy[M], ABC, Generic[M, A, R]):
    """The policy of an aggregate with a life: one table `rules` says, per action, which
    relations of the actor to the object allow it and in which states. `can` answers from it,
    the entry guard raises from it, `actions_for` tells a view which forms to show and `who_may`
    finds the memberships to notify, so the four can never disagree."""

    actions: type[A]
    rules: Mapping[A, Rule[R]]

    @abstractmethod
    def relations(self, actor: Actor, obj: M, target: Any = None) -> frozenset[R]:
        """The relations the actor holds to the object (and to `target`, a part of it such as
        an agreement, where a rule depends on it)."""
        ...

    @abstractmethod
    def state(self, obj: M) -> str: ...

    @abstractmethod
    def state_refusal(self, obj: M) -> str:
        """Why nothing of this kind happens in the object's current state."""
        ...

    @abstractmethod
    def members(self, relation: R, obj: M) -> Q:
        """The memberships holding `relation` to the object, as a filter on Membership."""
        ...

    def can_kind(self, actor: Actor, action: Action) -> bool:
        """The coarse question of a view's declaration: may the actor do this to some object of
        the kind at all?"""
        return False

    def can(self, actor: Actor, action: Any, obj: M | None = None, target: Any = None) -> bool:
        if isinstance(action, Action):
            if obj is not None:
                raise TypeError(f"Ask {type(self).__name__} an action of {self.actions.__name__}")
            return self.can_kind(actor, action)
        return obj is not None and self.refusal(actor, action, obj, target) is None

    def refusal(
        self, actor: Actor, action: A, obj: M, target: Any = None
    ) -> PermissionDenied | TransitionRefused | None:
        """None when allowed; else the exception to raise: who may not, or not in this state."""
        rule = self.rules[action]
        if not rule.who & self.relations(actor, obj, target):
            return PermissionDenied()
        if rule.states is not None and self.state(obj) not in rule.states:
            return TransitionRefused(self.state_refusal(obj))
        return None

    def check(self, actor: Actor, action: A, obj: M, target: Any = None) -> None:
        refused = self.refusal(actor, action, obj, target)
        if refused is not None:
            raise refused

    def actions_for(self, actor: Actor, obj: M, held: frozenset[R] | None = None) -> frozenset[A]:
        """Every action the actor may take on the object now (rules that need a target are
        asked per target with `can`); `held` saves computing the relations twice."""
        held = self.relations(actor, obj) if held is None else held
        state = self.state(obj)
        return frozenset(
            action
            for action, rule in self.rules.items()
            if rule.who & held and (rule.states is None or state in rule.states)
        )

    def who_may(self, action: A, obj: M) -> models.QuerySet[Any]:
        """The active memberships whose holders may take the action now: for notifications and
        for "who must acknowledge"."""
        membership = apps.get_model("organisations", "Membership")
        rule = self.rules[action]
        if rule.states is not None and self.state(obj) not in rule.states:
            return membership.objects.none()
        condition = Q(pk__in=[])
        for relation in sorted(rule.who):
            condition |= self.members(relation, obj)
        return membership.objects.filter(
            condition, is_active=True, user__is_active=True, organisation__is_active=True
        )


def obtain(
    policy: AggregatePolicy[M, A, R],
    actor: Actor,
    action: A,
    *,
    lock: bool = False,
    target: Any = None,
    **lookup: Any,
) -> M:
    """The entry guard every service of an aggregate starts with: look the object up among
    those the actor may see (NotFound otherwise, missing and forbidden alike), lock it for the
    change when asked, and check the action's rule on the object as it is now (PermissionDenied
    for who may not, TransitionRefused for a state in which it cannot happen)."""
    try:
        found = policy.visible_to(actor).filter(**lookup).values_list("pk", flat=True).get()
    except policy.model.DoesNotExist:  # type: ignore[attr-defined]
        raise NotFound from None
    manager = policy.model._default_manager
    obj = (manager.select_for_update() if lock else manager).get(pk=found)
    policy.check(actor, action, obj, target)
    return obj


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


ACTING_MEMBERSHIP_SESSION_KEY = "schakel_acting_membership"

# Where actors come from: the organisations app owns memberships and roles, and registers this
# when it is ready (core imports no domain app). It returns the user's active memberships, oldest
# first, and whether any of them is in a role that sees personal data.
MembershipSource = Callable[[int], tuple[list[tuple[int, Grant]], bool]]
_membership_source: MembershipSource | None = None


def set_membership_source(source: MembershipSource) -> None:
    global _membership_source
    _membership_source = source


def actor_for(user: Any, membership_id: int | None = None) -> Actor:
    """Resolve the user into an Actor acting for one membership: the one asked for when it is an
    active membership of theirs, else their only active membership. With several and none
    chosen the actor holds nothing and `needs_choice` is set. Cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached: Actor | None = getattr(user, "_schakel_actor", None)
    if cached is not None and (membership_id is None or cached.membership_id == membership_id):
        return cached
    if _membership_source is None:
        raise ImproperlyConfigured("No membership source: the organisations app registers it")
    memberships, sees_personal_data = _membership_source(user.pk)
    held = frozenset(role for _, (_, _, role) in memberships)
    chosen = next((m for m in memberships if m[0] == membership_id), None)
    if chosen is None and len(memberships) == 1:
        chosen = memberships[0]
    actor = Actor(
        user_id=user.pk,
        membership_id=chosen[0] if chosen else None,
        grant=chosen[1] if chosen else None,
        held_roles=held,
        memberships=len(memberships),
        needs_choice=chosen is None and len(memberships) > 1,
        sees_personal_data=sees_personal_data,
    )
    user._schakel_actor = actor
    return actor


def actor_from_request(request: HttpRequest) -> Actor:
    session = getattr(request, "session", None)
    chosen = session.get(ACTING_MEMBERSHIP_SESSION_KEY) if session is not None else None
    return actor_for(getattr(request, "user", None), chosen if isinstance(chosen, int) else None)
