"""Sorting a list by a column, in the URL: `?sort=received` or `?sort=-received`.

A screen declares which columns sort and how (a whitelist from the key in the URL to the
database ordering); anything else in the URL falls back to the screen's default. The headers of
sortable columns are links that keep the filters, start again at the first page and say which
way the list is sorted (`aria-sort` on the header cell)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, F, IntegerField, OrderBy, QuerySet, Value, When
from django.http import QueryDict

from .pagination import PAGE_PARAMETER

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SORT_PARAMETER = "sort"

Ordering = Sequence[str | OrderBy]


@dataclass(frozen=True)
class SortKey:
    """One sortable column: its label and its ordering when ascending (a tie-breaker is added)."""

    label: StrOrPromise
    ascending: Ordering


@dataclass(frozen=True)
class Sorting:
    """The sortable columns of one list and its default (`-key` for descending)."""

    keys: Mapping[str, SortKey]
    default: str
    # Orders rows that tie on the chosen column, so that pages never shift.
    tie_breaker: str = "pk"

    def choices(self) -> list[tuple[str, str]]:
        """Every key both ways, for a filter form's "Sort by" field."""
        from django.utils.translation import gettext as _

        result = []
        for key, spec in self.keys.items():
            result.append((key, _("%(column)s, ascending") % {"column": spec.label}))
            result.append((f"-{key}", _("%(column)s, descending") % {"column": spec.label}))
        return result

    def valid(self, value: str) -> bool:
        return value.removeprefix("-") in self.keys

    def chosen(self, value: str | None) -> str:
        """The sort asked for, or the default when the URL holds anything else."""
        return value if value and self.valid(value) else self.default

    def apply(self, queryset: QuerySet[Any], value: str | None) -> QuerySet[Any]:
        chosen = self.chosen(value)
        descending = chosen.startswith("-")
        spec = self.keys[chosen.removeprefix("-")]
        ordering = [_direction(term, descending) for term in spec.ascending]
        ordering.append(_direction(self.tie_breaker, descending))
        return queryset.order_by(*ordering)

    def state(
        self,
        query: QueryDict,
        value: str | None,
        *,
        page_parameters: Iterable[str] = (PAGE_PARAMETER,),
    ) -> SortState:
        return SortState(self, self.chosen(value), query, tuple(page_parameters))


def in_order_of(field: str, values: Iterable[str]) -> OrderBy:
    """A choice field sorted in the order of its choices (the workflow's), not by its codes."""
    ranks = [When(**{field: value}, then=Value(rank)) for rank, value in enumerate(values)]
    return Case(*ranks, output_field=IntegerField()).asc()


def _direction(term: str | OrderBy, descending: bool) -> OrderBy:
    if isinstance(term, OrderBy):
        if not descending:
            return term
        reversed_term = term.copy()
        reversed_term.reverse_ordering()
        return reversed_term
    expression = F(term.removeprefix("-"))
    reverse = term.startswith("-") != descending
    return expression.desc() if reverse else expression.asc()


@dataclass(frozen=True)
class SortColumn:
    url: str
    aria_sort: str  # "ascending", "descending" or "" when the list is not sorted by it
    label: StrOrPromise


@dataclass(frozen=True)
class SortState:
    """How a list is sorted now, and the header links to sort it otherwise."""

    sorting: Sorting
    value: str
    query: QueryDict
    page_parameters: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.value.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.value.startswith("-")

    def column(self, key: str) -> SortColumn:
        """The header link: the sorted column toggles its direction, another one sorts
        ascending; the filters stay, the list starts again at its first page."""
        active = key == self.key
        target = f"-{key}" if active and not self.descending else key
        query = self.query.copy()
        for parameter in self.page_parameters:
            query.pop(parameter, None)
        query[SORT_PARAMETER] = target
        aria = ("descending" if self.descending else "ascending") if active else ""
        return SortColumn(f"?{query.urlencode()}", aria, self.sorting.keys[key].label)

    @property
    def columns(self) -> dict[str, SortColumn]:
        return {key: self.column(key) for key in self.sorting.keys}
