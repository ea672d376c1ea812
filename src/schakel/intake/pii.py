"""Telling personal data in free text a public or secondary reporter writes or reads, where its
form gives it away.

Citizens and secondary partners send a situation sketch without personal data (DOMAIN.md §7),
and the feedback they read back must not carry any either (intake/services.py,
`signal_give_feedback`).

The check reads a normalised copy of the text (`normalise`), so that what a person reads as a
number or an address is found however it was typed: compatibility forms (NFKC: full-width digits
and letters, ``＠``, circled or superscript digits), decimal digits of other scripts (Arabic-Indic,
Devanagari …) read as ASCII digits, format characters (category Cf: zero-width spaces, joiners,
word joiner, soft hyphen, BOM, direction marks) and control characters (NUL …) dropped, every
kind of space (no-break, thin, ideographic …) and tab a single space, Unicode dashes and the minus
sign a hyphen. Then the usual obfuscations of an address are decoded: a bracketed ``(at)``,
``[at]``, ``{at}``, ``<at>``, ``(@)`` or ``(apenstaartje)`` and a bracketed ``(dot)``,
``[punt]``, ``(.)``.

Caught:

- e-mail addresses: ``name@domain.tld``, also with spaces around the ``@``; a bracketed at-sign
  between two words (``name(at)domain``, even without a top-level domain: nobody brackets an
  "at" for any other reason); and a bare ``at`` or ``apenstaartje`` (``name at domain.nl``,
  ``name apenstaartje domain punt nl``) only where what follows forms an address: a domain whose
  last dot is written as a dot, or spelled ``dot``/``punt`` before a common top-level domain
  (``SPELLED_TLDS``). So "om 10 at 11", "Kerkstraat 12 at the back" and "het punt is" are not
  addresses;
- IBANs (country length and check digits), also in groups;
- BSNs: nine digits passing the elfproef, as 123456782, 123 456 782 or 1234.56.782;
- phone numbers: Dutch ten-digit numbers starting with 0 and international numbers written with +
  or 00, with any single space, dot, dash or slash between the digits (``0 6 1 2 3 4 5 6 7 8``,
  ``06.12.34.56.78``, ``06-12 34 56 78``, ``+31 (0)6 …``).

Not caught, on purpose or because it cannot be told from ordinary text: names, dates of birth and
addresses in the free text (a place is part of the situation; the names recorded in a signal are
checked separately, `mentions_a_name`); licence plates (a vehicle seen is part of the situation);
digits spelled out in words ("nul zes …") or letters used as digits ("O6-…"); digits separated by
commas or by more than one kind of separator at once; an address without its top-level domain
unless its at-sign is bracketed (``jan at gmail``). Dates, times, postcodes, house numbers and
amounts are not mistaken for numbers of people. A known false positive: a bare "at" before a web
address ("booked at booking.com") reads as an e-mail address; the writer can say "via".

Contact details that are not personal data where they are written (the reporting point's own
phone number and mailbox, in feedback) can be passed as `allowed`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from schakel.core.redaction import Redactor, fold

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
# Also a %(kind)s: for feedback, where the names of the persons in a signal are checked too.
PERSON_NAME = _("the name of a person recorded in this signal or in a signal linked to it")

# %(kind)s is one of NAMES.
DESCRIPTION_MESSAGE = _(
    "Your description seems to contain %(kind)s. Please leave out personal data: "
    "describe the situation, not the people."
)
PLACE_MESSAGE = _("The place seems to contain %(kind)s. Give only an address or a neighbourhood.")
# %(kind)s is one of NAMES or PERSON_NAME.
FEEDBACK_MESSAGE = _(
    "The feedback seems to contain %(kind)s. This reporter may not be given personal data, and "
    "the feedback stays in the signal's history: say in general terms what was done."
)

# --- normalising ------------------------------------------------------------------------------

_SPACE_RUNS = re.compile(r" {2,}")
_MINUS = "\u2212"
# Obfuscations nobody writes for another reason: a bracketed "at" or "dot", spaces around it.
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
BRACKETED_AT = re.compile(rf"\s*{_OPEN}\s*(?:at|@|apenstaartje)\s*{_CLOSE}\s*", re.IGNORECASE)
BRACKETED_DOT = re.compile(rf"\s*{_OPEN}\s*(?:dot|punt|\.)\s*{_CLOSE}\s*", re.IGNORECASE)


def _plain(text: str) -> str:
    """NFKC; other scripts' digits as ASCII digits; format and control characters dropped; every
    space (and tab) one plain space; dashes and the minus sign a hyphen."""
    chars: list[str] = []
    for char in unicodedata.normalize("NFKC", text):
        if char == "\n" or (char.isascii() and char.isprintable()):
            chars.append(char)
            continue
        category = unicodedata.category(char)
        if char == "\t" or category.startswith("Z"):
            chars.append(" ")
        elif category in ("Cf", "Cc"):
            continue
        elif category == "Pd" or char == _MINUS:
            chars.append("-")
        elif category == "Nd":
            chars.append(str(unicodedata.decimal(char)))
        else:
            chars.append(char)
    return _SPACE_RUNS.sub(" ", "".join(chars))


def _decoded(plain: str) -> str:
    return BRACKETED_DOT.sub(".", BRACKETED_AT.sub("@", plain))


def normalise(text: str) -> str:
    """The text as the check reads it (see the module's docstring)."""
    return _decoded(_plain(text))


# --- e-mail addresses -------------------------------------------------------------------------

# Top-level domains after a spelled-out "dot"/"punt": "het punt nu" is no address, "gmail punt
# com" is. After a written dot any top-level domain counts.
SPELLED_TLDS = (
    "nl", "be", "de", "eu", "com", "net", "org", "info", "nu", "biz", "io", "me", "uk", "co",
    "fr", "es", "it", "pl", "ro", "bg", "tr", "ma",
)  # fmt: skip
_LOCAL = r"(?<![\w.%+-])[\w.%+-]+"
_AT = r"(?:\s*@\s*|\s+(?:at|apenstaartje)\s+)"
_DOT = r"(?:\.|\s+(?:dot|punt)\s+)"
_TLD = rf"(?:\.[a-z]{{2,}}|\s+(?:dot|punt)\s+(?:{'|'.join(SPELLED_TLDS)})(?!\w))"
EMAIL = re.compile(rf"{_LOCAL}{_AT}[\w-]+(?:{_DOT}[\w-]+)*?{_TLD}", re.IGNORECASE)
# A bracketed at-sign between two words is an address even without its top-level domain.
BRACKETED_AT_ADDRESS = re.compile(
    rf"[\w.%+-]\s*{_OPEN}\s*(?:at|@|apenstaartje)\s*{_CLOSE}\s*\w", re.IGNORECASE
)

# --- account and phone numbers ----------------------------------------------------------------

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


def find_personal_data(text: str, *, allowed: Iterable[str] = ()) -> PersonalData | None:
    """The first kind of personal data found in `text`, or None. `allowed`: phone numbers and
    e-mail addresses that are no personal data here (an organisation's contact details)."""
    allowed_addresses, allowed_numbers = _allowed(allowed)
    plain = _plain(text)
    if BRACKETED_AT_ADDRESS.search(plain):
        return PersonalData.EMAIL
    text = _decoded(plain)
    if any(_address(match.group()) not in allowed_addresses for match in EMAIL.finditer(text)):
        return PersonalData.EMAIL
    if any(_is_iban_at(text, match.start()) for match in IBAN_START.finditer(text)):
        return PersonalData.IBAN
    numbers = DATE.sub(" ", text.replace("(0)", "").replace("(", "").replace(")", ""))
    for match in NUMBER.finditer(numbers):
        if AMOUNT_BEFORE.search(numbers, 0, match.start()):
            continue
        international = bool(match.group(1))
        if _national(match.group(), international=international) in allowed_numbers:
            continue
        kind = _kind_of_number(match.group(), international=international)
        if kind is not None:
            return kind
    return None


def refuse_personal_data(text: str, message: StrOrPromise, *, allowed: Iterable[str] = ()) -> None:
    """Raise a ValidationError naming the kind found; `message` has a %(kind)s placeholder."""
    kind = find_personal_data(text, allowed=allowed)
    if kind is not None:
        raise ValidationError(message, code="personal_data", params={"kind": NAMES[kind]})


def mentions_a_name(text: str, names: Iterable[str]) -> bool:
    """Whether `text` contains one of `names` as the redaction service finds names
    (core/redaction.py): case, accents and invisible characters ignored, a name as a whole word,
    the full name or any of its parts of three letters or more that is not a particle ("van",
    "de" …). It errs on the side of finding: a surname that is also a word ("de Jong": "jong")
    is found as that word too."""
    redactor = Redactor.for_persons((name, "") for name in names if name)
    return redactor.pattern is not None and redactor.pattern.search(fold(text)) is not None


def _allowed(values: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    addresses: set[str] = set()
    numbers: set[str] = set()
    for value in values:
        plain = _plain(value or "").strip()
        if "@" in plain:
            addresses.add(_address(plain))
        elif plain:
            numbers.add(_national(plain, international=plain.startswith("+")))
    return frozenset(addresses), frozenset(numbers)


def _address(found: str) -> str:
    return re.sub(r"\s+", "", found).casefold()


def _national(number: str, *, international: bool) -> str:
    """The digits of a phone number as dialled within the Netherlands (+31 6 … as 06 …)."""
    digits = re.sub(r"\D", "", number.replace("(0)", ""))
    if international and digits.startswith("31"):
        return "0" + digits[2:]
    if digits.startswith("0031"):
        return "0" + digits[4:]
    return digits


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
