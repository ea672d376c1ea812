"""The main menu: each app registers its entries in AppConfig.ready(), with the rule that shows
an entry (normally a policy question), so the menu never offers a screen the user cannot open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import Promise

from .policies import Actor

if TYPE_CHECKING:
    from .context import AccessContext


@dataclass(frozen=True)
class TileFigure:
    """A number on a start-page tile, with the words that say what it counts (never a bare
    number), and whether it calls for action now."""

    number: int
    text: str
    urgent: bool = False


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    shown_to: Callable[[Actor], bool]
    order: int = 100
    # What the start page's tile shows in figures; asked only of whom the entry is shown to.
    figures: Callable[[AccessContext], list[TileFigure]] | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_items: list[MenuItem] = []


def register_menu_item(item: MenuItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
        _items.sort(key=lambda i: i.order)


def menu_for(actor: Actor) -> list[MenuItem]:
    if not actor.is_authenticated:
        return []
    return [item for item in _items if item.shown_to(actor)]


def tiles_for(context: AccessContext) -> list[tuple[MenuItem, list[TileFigure]]]:
    """The start page: every menu entry of the actor, with its figures."""
    return [
        (item, item.figures(context) if item.figures else []) for item in menu_for(context.actor)
    ]
