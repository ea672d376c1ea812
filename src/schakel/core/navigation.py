"""The main menu: each app registers its entries in AppConfig.ready(), with the rule that shows
an entry (normally a policy question), so the menu never offers a screen the user cannot open.

Entries are grouped by task (signals, meetings, cases, hit/no-hit, administration): the header
shows the groups, and the group of the page one is on shows its entries beneath."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .policies import Actor

if TYPE_CHECKING:
    from .context import AccessContext


@dataclass(frozen=True)
class TileFigure:
    """A number on a start-page tile, with the words that say what it counts (never a bare
    number), whether it calls for action now, and the list it counts (filtered where the list
    can be): the start page links each figure there."""

    number: int
    text: str
    urgent: bool = False
    url: str = ""

    @property
    def calls_for_action(self) -> bool:
        return self.urgent and self.number > 0


class MenuGroup(models.TextChoices):
    """The tasks the menu is grouped by, in the order the header shows them."""

    SIGNALS = "signals", _("Signals")
    MEETINGS = "meetings", _("Meetings")
    CASES = "cases", _("Cases")
    MATCHING = "matching", _("Hit/no-hit")
    FIGURES = "figures", _("Figures")
    NETWORK = "network", _("Network")
    ADMINISTRATION = "administration", _("Administration")


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    shown_to: Callable[[Actor], bool]
    order: int = 100
    group: MenuGroup = MenuGroup.ADMINISTRATION
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


@dataclass(frozen=True)
class MenuSection:
    group: MenuGroup
    items: list[MenuItem]
    current: bool

    @property
    def url(self) -> str:
        return self.items[0].url


def menu_sections(actor: Actor, view_name: str | None) -> list[MenuSection]:
    """The actor's entries by group, in group order; `current` marks the group of the page being
    shown: the one holding its view, else the one holding another view of its app."""
    items = menu_for(actor)
    namespace = view_name.partition(":")[0] if view_name and ":" in view_name else None
    current = next((i.group for i in items if i.url_name == view_name), None)
    if current is None and namespace:
        current = next((i.group for i in items if i.url_name.startswith(namespace + ":")), None)
    return [
        MenuSection(group, members, group == current)
        for group in MenuGroup
        if (members := [i for i in items if i.group == group])
    ]


def tiles_for(context: AccessContext) -> list[tuple[MenuItem, list[TileFigure]]]:
    """The start page: every menu entry of the actor, with its figures. Each figures function
    counts in the database through the access-policy layer (what a role cannot list is not
    counted for it), in a fixed number of queries whatever the amount of data."""
    return [
        (item, item.figures(context) if item.figures else []) for item in menu_for(context.actor)
    ]


@dataclass(frozen=True)
class Tile:
    item: MenuItem
    figures: list[TileFigure]

    @property
    def urgent(self) -> bool:
        return any(f.calls_for_action for f in self.figures)


@dataclass(frozen=True)
class HomeSection:
    group: MenuGroup
    tiles: list[Tile]


def home_sections(
    tiles: list[tuple[MenuItem, list[TileFigure]]],
) -> list[HomeSection]:
    """The start page reads like the menu: the tiles under the menu's groups, in its order."""
    return [
        HomeSection(group, members)
        for group in MenuGroup
        if (members := [Tile(item, figures) for item, figures in tiles if item.group == group])
    ]


@dataclass(frozen=True)
class HomePanel:
    """A block of its own on the start page, for a role whose work is not (yet) a menu entry,
    such as the board viewer's coming dashboard. `template` is included with the request's
    context."""

    template: str
    shown_to: Callable[[Actor], bool]
    order: int = 100


_panels: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if all(existing.template != panel.template for existing in _panels):
        _panels.append(panel)
        _panels.sort(key=lambda p: p.order)


def home_panels_for(actor: Actor) -> list[HomePanel]:
    if not actor.is_authenticated:
        return []
    return [panel for panel in _panels if panel.shown_to(actor)]
