"""A date is typed the way it is written in the Netherlands, or as ISO; what does not exist or
falls outside the calendar is refused with a message that says how to write it."""

from datetime import date

import pytest
from django.utils import translation

from schakel.core.forms import DutchDateField, parse_dutch_date

THIRD_OF_DECEMBER = date(2026, 12, 3)


@pytest.mark.parametrize(
    "typed",
    [
        "3-12-2026",
        "03-12-2026",
        "3/12/2026",
        "03/12/2026",
        "3.12.2026",
        "3 december 2026",
        "3 December 2026",
        "3 dec 2026",
        "3 dec. 2026",
        "3 DEC 2026",
        "2026-12-03",
        "2026-12-3",
        "  3-12-2026 ",
    ],
)
def test_every_way_of_writing_the_third_of_december_is_read_as_that_day(typed):
    assert DutchDateField().clean(typed) == THIRD_OF_DECEMBER


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("1 maart 2026", date(2026, 3, 1)),
        ("1 mrt 2026", date(2026, 3, 1)),
        ("15 mei 2026", date(2026, 5, 15)),
        ("1 okt 2026", date(2026, 10, 1)),
        ("1 october 2026", date(2026, 10, 1)),
        ("29-2-2028", date(2028, 2, 29)),
        ("1-1-1900", date(1900, 1, 1)),
        ("31-12-9998", date(9998, 12, 31)),
    ],
)
def test_month_names_leap_days_and_the_ends_of_the_calendar(typed, meant):
    assert DutchDateField().clean(typed) == meant


@pytest.mark.parametrize(
    "typed",
    [
        "３－１２－２０２６",  # full-width digits and hyphen (a Japanese or Chinese keyboard)
        "３/１２/２０２６",
        "3\u200b-12-2026",  # a zero-width space pasted from a document
        "\ufeff3-12-2026",  # a byte-order mark
        "3-1\u200d2-2026",  # a zero-width joiner inside the month
        "3\u00ad-12-2026",  # a soft hyphen
        "3–12–2026",  # en dashes, as a word processor makes them
        "3\u221212\u22122026",  # minus signs
        "3\u00a0december\u00a02026",  # non-breaking spaces
        "3  december   2026",
    ],
)
def test_invisible_and_look_alike_characters_do_not_change_the_date(typed):
    assert DutchDateField().clean(typed) == THIRD_OF_DECEMBER


def code_of(typed: str) -> str:
    with pytest.raises(Exception) as refused:
        DutchDateField().clean(typed)
    return refused.value.code


@pytest.mark.parametrize(
    "typed", ["31-02-2026", "29-02-2026", "31-04-2026", "0-12-2026", "12-13-2026"]
)
def test_a_day_that_does_not_exist_is_refused_as_such(typed):
    assert code_of(typed) == "no_such_day"


@pytest.mark.parametrize("typed", ["3-12-26", "3-12-1899", "3-12-9999", "0001-12-03", "3 dec 26"])
def test_a_year_outside_the_calendar_or_not_written_in_full_is_refused(typed):
    assert code_of(typed) == "year"


@pytest.mark.parametrize(
    "typed",
    ["gisteren", "3-12", "3-12/2026", "3 decembre 2026", "2026/12/03", "3,12,2026", "12026-1-1"],
)
def test_what_reads_as_no_date_asks_for_day_month_year(typed):
    assert code_of(typed) == "invalid"


def message_for(typed: str) -> str:
    with translation.override("en"):
        with pytest.raises(Exception) as refused:
            DutchDateField().clean(typed)
        return str(refused.value.messages[0])


def test_each_message_says_what_to_type():
    assert message_for("gisteren") == "Enter a date as day-month-year, for example 17-12-2026."
    assert message_for("31-02-2026") == "That date does not exist: check the day and the month."
    assert message_for("3-12-26") == "Enter a year between 1900 and 9998, written in full."


def test_an_empty_optional_date_is_no_date():
    assert DutchDateField(required=False).clean("") is None
    assert DutchDateField(required=False).clean("\u200b \ufeff") is None
    assert code_of("\u200b ") == "required"


def test_the_parser_gives_year_month_day_as_written():
    assert parse_dutch_date("31-02-2026") == (2026, 2, 31)
    assert parse_dutch_date("nonsense") is None


def test_the_field_is_a_text_box_with_an_example_and_shows_a_date_day_first():
    field = DutchDateField(label="Datum", help_text="Needed when monitored.")
    html = field.widget.render("when", THIRD_OF_DECEMBER, attrs={"id": "id_when"})
    assert 'type="text"' in html
    assert 'autocomplete="off"' in html
    assert "inputmode" not in html  # a month name needs letters
    assert 'value="03-12-2026"' in html
    with translation.override("en"):
        assert str(field.help_text) == "Needed when monitored. For example 17-12-2026."
        assert str(DutchDateField().help_text) == "For example 17-12-2026."
