"""Lists page on the server: a slice of an ordered queryset, a bounded count, links that keep the
filters; and sort by a whitelisted column, whatever the URL says."""

from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from schakel.core.pagination import paginate
from schakel.core.sorting import Sorting, SortKey
from schakel.organisations.models import Region

pytestmark = pytest.mark.django_db


def get(query: str = ""):
    return RequestFactory().get(f"/lijst/?{query}")


@pytest.fixture
def regions():
    Region.objects.bulk_create(Region(name=f"Regio {n:02d}") for n in range(12))
    return Region.objects.order_by("name")


def names(page) -> list[str]:
    return [r.name for r in page]


def test_a_page_is_a_slice_of_the_ordered_list(regions):
    page = paginate(get("pagina=2"), regions, page_size=5)
    assert names(page) == [f"Regio {n:02d}" for n in range(5, 10)]
    assert (page.number, page.count, page.first_index, page.last_index) == (2, 12, 6, 10)
    assert page.has_previous and page.has_next and page.last_number == 3


def test_a_short_first_page_is_not_counted_again(regions):
    with CaptureQueriesContext(connection) as queries:
        page = paginate(get(), regions, page_size=50)
    assert len(queries) == 1
    assert page.count == 12 and not page.has_next and page.last_number == 1


def test_the_count_stops_at_its_limit_and_says_there_are_more(regions):
    page = paginate(get("pagina=2"), regions, page_size=3, count_limit=5)
    assert page.count == 5 and page.count_is_capped
    assert page.last_number is None  # "page 2", not "page 2 of 2"
    assert page.has_next  # a full page with a capped count: there may be more
    counted = paginate(get("pagina=2"), regions, page_size=3, count_limit=12)
    assert counted.count == 12 and not counted.count_is_capped


def test_the_count_query_is_bounded_by_the_limit(regions):
    with CaptureQueriesContext(connection) as queries:
        paginate(get("pagina=2"), regions, page_size=3, count_limit=5)
    count_sql = queries.captured_queries[-1]["sql"].upper()
    assert "COUNT" in count_sql and "LIMIT 6" in count_sql


def test_a_page_past_the_end_is_empty_and_leads_back_to_the_last_page(regions):
    page = paginate(get("pagina=9&status=new"), regions, page_size=5)
    assert list(page) == []
    assert page.count == 12 and not page.has_next
    assert (page.first_index, page.last_index) == (0, 0)
    assert parse_qs(page.previous_url[1:]) == {"pagina": ["3"], "status": ["new"]}


@pytest.mark.parametrize("raw", ["abc", "0", "-2", "1e3", "٣", "", "2.5", "  3"])
def test_a_page_number_that_is_not_a_positive_number_is_the_first_page(regions, raw):
    page = paginate(get(f"pagina={raw}"), regions, page_size=5)
    assert page.number == 1
    assert names(page)[0] == "Regio 00"


def test_an_absurd_page_number_is_bounded_and_empty(regions):
    page = paginate(get("pagina=99999999999999999999"), regions, page_size=5)
    assert page.number == 1_000_000 and list(page) == []


def test_the_links_keep_the_filters_and_the_sort(regions):
    page = paginate(get("status=new&sort=-received&form=labour&pagina=2"), regions, page_size=5)
    assert parse_qs(page.next_url[1:]) == {
        "status": ["new"],
        "sort": ["-received"],
        "form": ["labour"],
        "pagina": ["3"],
    }
    # The first page has no page number in its URL.
    assert parse_qs(page.previous_url[1:]) == {
        "status": ["new"],
        "sort": ["-received"],
        "form": ["labour"],
    }


def test_two_lists_on_one_screen_page_on_their_own_parameters(regions):
    request = get("pagina=2&pagina_andere=3")
    first = paginate(request, regions, page_size=5)
    second = paginate(request, regions, page_size=2, parameter="pagina_andere")
    assert (first.number, second.number) == (2, 3)
    assert names(second) == ["Regio 04", "Regio 05"]
    # Paging one list keeps the other where it was.
    assert parse_qs(second.next_url[1:]) == {"pagina": ["2"], "pagina_andere": ["4"]}
    assert parse_qs(first.next_url[1:]) == {"pagina": ["3"], "pagina_andere": ["3"]}


def test_an_unordered_queryset_is_refused(regions):
    with pytest.raises(ValueError, match="ordered"):
        paginate(get(), Region.objects.order_by(), page_size=5)


# --- Sorting ------------------------------------------------------------------------------------

SORTING = Sorting(
    keys={"name": SortKey("Name", ("name",)), "id": SortKey("Id", ("pk",))}, default="-name"
)


@pytest.mark.parametrize("value", ["", None, "colour", "--name", "name; DROP TABLE", "-"])
def test_an_unknown_sort_key_falls_back_to_the_default(regions, value):
    assert SORTING.chosen(value) == "-name"
    assert SORTING.apply(Region.objects.all(), value)[0].name == "Regio 11"


def test_a_known_sort_key_sorts_both_ways_with_a_tie_breaker(regions):
    ascending = SORTING.apply(Region.objects.all(), "name")
    assert ascending.ordered and ascending[0].name == "Regio 00"
    assert str(ascending.query).count("ORDER BY") == 1
    assert SORTING.apply(Region.objects.all(), "-name")[0].name == "Regio 11"


def test_the_sorted_column_says_so_and_its_link_turns_the_order_around():
    query = QueryDict("status=new&sort=name&pagina=4")
    columns = SORTING.state(query, "name").columns
    assert columns["name"].aria_sort == "ascending"
    assert parse_qs(columns["name"].url[1:]) == {"status": ["new"], "sort": ["-name"]}
    assert columns["id"].aria_sort == ""
    assert parse_qs(columns["id"].url[1:]) == {"status": ["new"], "sort": ["id"]}
    assert SORTING.state(query, "-name").columns["name"].aria_sort == "descending"
