"""The filter form above a list: a GET form whose values live in the URL.

A list's URL is shared, bookmarked and edited by hand, so a value outside the choices is no
error: the form drops it and the list shows what it would without it (the default sort, no
filter), and the form shows what the list is filtered by."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .sorting import SORT_PARAMETER, Sorting


class ListFilterForm(forms.Form):
    """Filters and a "Sort by" field from the list's `sorting`. Subclasses set `sorting` and add
    their filters (every field optional)."""

    sorting: ClassVar[Sorting]
    # The values a list has without asking (the case list shows open cases): no filter.
    defaults: ClassVar[dict[str, Any]] = {}
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data if data is not None else QueryDict(), **kwargs)
        field: Any = self.fields[SORT_PARAMETER]
        field.choices = self.sorting.choices()
        self.order_fields([name for name in self.fields if name != SORT_PARAMETER])  # sort last

    def values(self) -> dict[str, Any]:
        """The valid values; a value outside its choices falls back to its default (none, or the
        list's own such as the open cases), and the sort is always set."""
        if not self.is_valid():
            self._rebind(drop=tuple(self.errors))
        if not self.cleaned_data.get(SORT_PARAMETER):
            self._rebind(sort=self.sorting.default)
        return dict(self.cleaned_data)

    def _rebind(self, *, drop: tuple[str, ...] = (), sort: str = "") -> None:
        """Bound again without the dropped values (or with the default sort), as the list is."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        for name in drop:
            data.pop(name, None)
            if name in self.defaults:
                data[name] = self.defaults[name]
        if sort:
            data[SORT_PARAMETER] = sort
        self.data = data
        self.full_clean()

    @property
    def filtered(self) -> bool:
        """Whether any filter narrows the list (the sort does not)."""
        values = self.values()
        return any(
            value not in ("", None, False, self.defaults.get(name))
            for name, value in values.items()
            if name != SORT_PARAMETER
        )
