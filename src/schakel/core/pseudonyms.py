"""How a person is named for someone who may not see who they are: victims are numbered, suspects
lettered, as the field writes its minutes ("Slachtoffer 1", "Verdachte A")."""

from __future__ import annotations

from django.utils.translation import gettext, pgettext


def letters(number: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    result = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        result = chr(ord("A") + rest) + result
    return result


def pseudonym(role: str, number: int) -> str:
    if role == "victim":
        return pgettext("pseudonym", "Victim %(number)s") % {"number": number}
    if role == "perpetrator":
        return pgettext("pseudonym", "Suspect %(letter)s") % {"letter": letters(number)}
    return gettext("Person involved %(number)s") % {"number": number}


def numbered(roles: list[str]) -> list[int]:
    """The number of each person within their role, in the order given."""
    seen: dict[str, int] = {}
    numbers = []
    for role in roles:
        seen[role] = seen.get(role, 0) + 1
        numbers.append(seen[role])
    return numbers
