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
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data if data is not None else QueryDict(), **kwargs)
        field: Any = self.fields[SORT_PARAMETER]
        field.choices = self.sorting.choices()

    def values(self) -> dict[str, Any]:
        """The valid values; a value outside its choices is dropped, and the sort is always set."""
        if not self.is_valid():
            data = self.data.copy()
            for name in self.errors:
                data.pop(name, None)
            self.data = data
            self.full_clean()
        if not self.cleaned_data.get(SORT_PARAMETER):
            data = self.data.copy()
            data[SORT_PARAMETER] = self.sorting.default
            self.data = data
            self.full_clean()
        return dict(self.cleaned_data)

    @property
    def filtered(self) -> bool:
        """Whether any filter narrows the list (the sort does not)."""
        values = self.values()
        return any(v not in ("", None) for name, v in values.items() if name != SORT_PARAMETER)
