"""Lists that scale: one page of a queryset, numbered, with a bounded count.

Every list screen pages on the server through `paginate`. The page is a slice (LIMIT/OFFSET on
an ordered queryset, so the database reads only what is shown) and the total is counted only up
to `count_limit`: above it the screen says "more than 10,000" instead of making the database
count a million rows on every view. The links keep the other query parameters, so filters and
sort order stay in the URL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

T = TypeVar("T")

PAGE_SIZE = 50
COUNT_LIMIT = 10_000
PAGE_PARAMETER = "pagina"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    page_size: int
    # The number of matching rows, counted up to the limit; `count_is_capped` when there are more.
    count: int
    count_is_capped: bool
    query: QueryDict
    # The query parameter holding the page number: two lists on one screen page apart.
    parameter: str = PAGE_PARAMETER

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * self.page_size < self.count or (
            self.count_is_capped and len(self.items) == self.page_size
        )

    @property
    def last_number(self) -> int | None:
        """The last page's number, when the count is exact."""
        if self.count_is_capped:
            return None
        return max(1, -(-self.count // self.page_size))

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.page_size + len(self.items) if self.items else 0

    def url_for(self, number: int) -> str:
        query = self.query.copy()
        if number <= 1:
            query.pop(self.parameter, None)
        else:
            query[self.parameter] = str(number)
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def previous_url(self) -> str:
        # Past the end (an old link, a list that shrank) "previous" leads to the last page.
        last = self.last_number
        return self.url_for(min(self.number - 1, last) if last else self.number - 1)

    @property
    def next_url(self) -> str:
        return self.url_for(self.number + 1)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_number(request: HttpRequest, parameter: str = PAGE_PARAMETER) -> int:
    """The requested page; anything that is not a positive number is the first page."""
    raw = request.GET.get(parameter, "")
    if raw.isascii() and raw.isdigit():
        return max(1, min(int(raw), 1_000_000))
    return 1


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    page_size: int = PAGE_SIZE,
    count_limit: int = COUNT_LIMIT,
    parameter: str = PAGE_PARAMETER,
) -> Page[Any]:
    """One page of an ordered queryset. A page past the end shows the last page's worth of
    nothing, with a link back: the URL may be old, the list may have shrunk."""
    if not queryset.ordered:
        raise ValueError("paginate needs an ordered queryset: the pages would shift between views")
    number = page_number(request, parameter)
    start = (number - 1) * page_size
    items = list(queryset[start : start + page_size])
    if number == 1 and len(items) < page_size:
        count, capped = len(items), False
    else:
        counted = queryset.order_by()[: count_limit + 1].count()
        count, capped = min(counted, count_limit), counted > count_limit
    return Page(
        items=items,
        number=number,
        page_size=page_size,
        count=count,
        count_is_capped=capped,
        query=request.GET,
        parameter=parameter,
    )


# A list selector takes a pager: the view's `lambda q: paginate(request, q)`, or the first page.
Pager = Callable[[QuerySet[Any]], Page[Any]]


def first_page(queryset: QuerySet[Any]) -> Page[Any]:
    """The first page, for a caller without a request (a test, a command)."""
    return paginate(HttpRequest(), queryset)


def paginate_uncounted(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    page_size: int = PAGE_SIZE,
    parameter: str = PAGE_PARAMETER,
) -> Page[Any]:
    """One page of an ordered queryset without counting it: for a list that grows by millions
    (the audit log), where even a bounded count reads up to `COUNT_LIMIT` rows and, under a
    filter that matches few, the whole table. It reads one row more than it shows (LIMIT n+1):
    when that row exists there is a next page and the screen says "51–100 of more than 100";
    on the last page the total is exact."""
    if not queryset.ordered:
        raise ValueError("paginate needs an ordered queryset: the pages would shift between views")
    number = page_number(request, parameter)
    start = (number - 1) * page_size
    rows = list(queryset[start : start + page_size + 1])
    items, more = rows[:page_size], len(rows) > page_size
    count = start + len(items)
    if not items and number > 1:
        # Past the end (an old link): count no further than the offset already read, so that
        # "previous" leads to the real last page.
        count = queryset.order_by()[:start].count()
    return Page(
        items=items,
        number=number,
        page_size=page_size,
        count=count,
        count_is_capped=more,
        query=request.GET,
        parameter=parameter,
    )
