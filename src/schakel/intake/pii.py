"""Telling personal data in a public reporter's free text, where its form gives it away.

Citizens and secondary partners send a situation sketch without personal data (DOMAIN.md §7).
Caught: e-mail addresses, IBANs (country length and check digits), BSNs (nine digits passing the
elfproef, also as 123 456 782 or 1234.56.782) and phone numbers (Dutch ten-digit numbers starting
with 0, and international numbers written with + or 00). Not caught, on purpose: names, dates of
birth and addresses (they cannot be told from ordinary words, and a place is part of the
situation) and licence plates (a vehicle seen is part of the situation). Dates, times, postcodes,
house numbers and amounts are not mistaken for numbers of people.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PersonalData(StrEnum):
    EMAIL = "email"
    IBAN = "iban"
    BSN = "bsn"
    PHONE = "phone"


NAMES = {
    PersonalData.EMAIL: _("an e-mail address"),
    PersonalData.IBAN: _("a bank account number (IBAN)"),
    PersonalData.BSN: _("a citizen service number (BSN)"),
    PersonalData.PHONE: _("a phone number"),
}

# %(kind)s is one of NAMES.
DESCRIPTION_MESSAGE = _(
    "Your description seems to contain %(kind)s. Please leave out personal data: "
    "describe the situation, not the people."
)
PLACE_MESSAGE = _("The place seems to contain %(kind)s. Give only an address or a neighbourhood.")

EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
IBAN_START = re.compile(r"(?<![a-z0-9])[a-z]{2}\d{2}", re.IGNORECASE)
# IBAN lengths of the countries a reporter in the Netherlands is likely to meet.
IBAN_LENGTHS = {
    "AT": 20, "BA": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
    "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MD": 24, "MT": 31, "NL": 18,
    "NO": 15, "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24, "TR": 26,
    "UA": 29,
}  # fmt: skip
# Dates are masked first, so that "01-03-2026 10:30" is not read as a phone number.
DATE = re.compile(
    r"(?<![\d./-])(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})(?![-/.]?\d)"
)
# A number as people write it: digits with single spaces, dots, dashes or slashes between them.
NUMBER = re.compile(r"(?<![\w+])(\+ ?)?\d(?:(?: ?[-./] ?| )?\d)*(?!\w)")
BSN_GROUPS = {(9,), (3, 3, 3), (4, 2, 3)}
AMOUNT_BEFORE = re.compile(r"(?:€|eur|euro)\s?$", re.IGNORECASE)


def find_personal_data(text: str) -> PersonalData | None:
    """The first kind of personal data found in `text`, or None."""
    if EMAIL.search(text):
        return PersonalData.EMAIL
    if any(_is_iban_at(text, match.start()) for match in IBAN_START.finditer(text)):
        return PersonalData.IBAN
    plain = DATE.sub(" ", text.replace("(0)", "").replace("(", "").replace(")", ""))
    for match in NUMBER.finditer(plain):
        if AMOUNT_BEFORE.search(plain, 0, match.start()):
            continue
        kind = _kind_of_number(match.group(), international=bool(match.group(1)))
        if kind is not None:
            return kind
    return None


def refuse_personal_data(text: str, message: StrOrPromise) -> None:
    """Raise a ValidationError naming the kind found; `message` has a %(kind)s placeholder."""
    kind = find_personal_data(text)
    if kind is not None:
        raise ValidationError(message, code="personal_data", params={"kind": NAMES[kind]})


def _kind_of_number(number: str, *, international: bool) -> PersonalData | None:
    digits = re.sub(r"\D", "", number)
    if international and 8 <= len(digits) <= 15:
        return PersonalData.PHONE
    if digits.startswith("00") and 10 <= len(digits) <= 15:
        return PersonalData.PHONE
    if digits.startswith("0") and len(digits) == 10:
        return PersonalData.PHONE
    groups = tuple(len(group) for group in re.findall(r"\d+", number))
    if groups in BSN_GROUPS and passes_elfproef(digits):
        return PersonalData.BSN
    return None


def passes_elfproef(digits: str) -> bool:
    """The BSN check: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11 (and not all zeros)."""
    if len(digits) != 9 or not digits.isdigit() or int(digits) == 0:
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def _is_iban_at(text: str, start: int) -> bool:
    """An IBAN starts at `start`, written compactly or in groups separated by single spaces."""
    length = IBAN_LENGTHS.get(text[start : start + 2].upper())
    if length is None:
        return False
    chars: list[str] = []
    position = start
    while position < len(text) and len(chars) < length:
        char = text[position]
        if char.isascii() and char.isalnum():
            chars.append(char.upper())
        elif char != " " or not text[position + 1 : position + 2].isalnum():
            break
        position += 1
    if len(chars) < length or text[position : position + 1].isalnum():
        return False
    rearranged = "".join(chars[4:] + chars[:4])
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1
