"""Reading a signal's place as a Dutch address, so that signals about one address meet.

Pure functions, no database: `parse_place` finds the street, house number (with its addition),
postcode and town in what a reporter typed, or returns None for a place that is not an address
("parkeerplaats achter het station", "Stationsplein" without a number, "tegenover Kerkstraat 12").
`address_keys` turns an address into the keyed hashes the index stores
(intake.models.SignalAddressKey): never the plaintext.

What counts as the same address: the same street (spelling folded: case, accents, spaces,
hyphens, and the usual abbreviations such as "str." and "burg."), the same house number and the
same addition ("12-A", "12a", "12 A" are one; "12" and "12a" and "120" are three), or the same
postcode with the same number and addition. A town or a postcode is compared only when both
places name one:
"Kerkstraat 12" meets "Kerkstraat 12, Brakelveen", but not "Kerkstraat 12 te Oudewater" (one
municipality can have a Kerkstraat in several villages). Names of businesses ("Hotel De
Zilveren Reiger") are not addresses: the reporting point links those by hand as "same premises".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from schakel.core.crypto import blind_index

# A Dutch postcode: four digits (not starting with 0), two letters (not SA, SD, SS).
POSTCODE = re.compile(r"\b([1-9]\d{3})\s?(?!sa|sd|ss)([a-z]{2})\b")
# Words that place the report near an address rather than at it.
NEAR = frozenset(
    {"bij", "naast", "tegenover", "achter", "voor", "nabij", "hoek", "near", "opposite", "behind"}
)
# Words for an addition that people write out.
ADDITION_WORDS = frozenset(
    {"bis", "hs", "huis", "bg", "bgg", "boven", "bov", "beneden", "ben", "i", "ii", "iii", "iv"}
)
ADDITION_SYNONYMS = {"huis": "hs", "bgg": "bg", "beneden": "bg", "ben": "bg", "bov": "boven"}
# Abbreviations in street names, written with or without a full stop.
ABBREVIATIONS = {
    "str": "straat",
    "ln": "laan",
    "pl": "plein",
    "wg": "weg",
    "gr": "gracht",
    "burg": "burgemeester",
    "st": "sint",
    "mr": "meester",
    "prof": "professor",
    "pr": "prins",
}
SUFFIX_ABBREVIATIONS = {"str": "straat", "ln": "laan", "pl": "plein", "wg": "weg"}
# "Kerkstraat 12-A", "Kerkstraat 12 a", "Kerkstraat 12/2", "Kerkstraat 12 bis": the street is the
# words before the number; the addition follows it, directly or after -, / or a space.
_ADDITION_WORDS = "|".join(sorted(ADDITION_WORDS, key=len, reverse=True))
STREET_NUMBER = re.compile(
    r"(?P<street>(?:\d{1,2}e\s+)?[^\W\d_][\w'.-]*(?:\s+[\w'.-]+)*?)\s+(?P<number>\d{1,5})"
    r"(?:\s*[-/]?\s*(?P<addition>(?:" + _ADDITION_WORDS + r")\b|[a-z]\b|\d{1,4}\b))?"
)
TOWN_AFTER = re.compile(r"^\s*(?:,|\bte\b|\bin\b)\s*(?P<town>[^\W\d_][\w' -]*)$")


@dataclass(frozen=True)
class Address:
    street: str  # folded: lower case, no accents, no spaces, abbreviations written out
    number: str
    addition: str = ""
    postcode: str = ""  # "1234ab"
    town: str = ""  # folded like the street

    @property
    def label(self) -> str:
        """A compact, normalised spelling, for tests and the developer; never stored."""
        parts = [f"{self.street} {self.number}{'-' + self.addition if self.addition else ''}"]
        if self.postcode:
            parts.append(self.postcode)
        if self.town:
            parts.append(self.town)
        return ", ".join(parts)


def fold(text: str) -> str:
    """Lower case, accents and format characters dropped, NFKC (full-width letters read as
    letters), every run of other characters one space."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in {"Cf", "Cc"} or c in "\t\n")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip()


def _street_key(street: str) -> str:
    words = []
    for word in re.split(r"[\s-]+", street.replace("'", "")):
        word = word.rstrip(".")
        if not word:
            continue
        if "." in word:  # "Kerkstr.12" split the glued abbreviation from the next part
            word = word.replace(".", "")
        words.append(ABBREVIATIONS.get(word, word))
    joined = "".join(words)
    for short, full in SUFFIX_ABBREVIATIONS.items():
        if joined.endswith(short) and not joined.endswith(full):
            joined = joined[: -len(short)] + full
            break
    return joined


def _town_key(town: str) -> str:
    return re.sub(r"[^a-z]", "", town)


def parse_place(place: str) -> Address | None:
    """The address in a place as typed, or None when it is not (only) an address."""
    text = fold(place)
    if not text:
        return None
    text = re.sub(r"\([^)]*\)", " ", text)  # "Stationsplein 4 (hotel)": the note goes
    postcode = ""
    found = POSTCODE.search(text)
    if found:
        postcode = found.group(1) + found.group(2)
        text = (text[: found.start()] + " , " + text[found.end() :]).strip()
    segments = [s.strip() for s in text.split(",")]
    for index, segment in enumerate(segments):
        match = STREET_NUMBER.search(segment)
        if match is None:
            continue
        before = segment[: match.start()].split()
        street_words = match.group("street").split()
        if (before and before[-1] in NEAR) or street_words[0] in NEAR:
            return None
        street = _street_key(" ".join(street_words))
        if not street or not re.search(r"[a-z]{3}", street):
            continue
        addition = (match.group("addition") or "").strip()
        addition = ADDITION_SYNONYMS.get(addition, addition)
        rest = segment[match.end() :]
        town = ""
        after = TOWN_AFTER.match(rest) if rest.strip() else None
        if after:
            town = after.group("town")
        elif rest.strip() and re.fullmatch(r"\s+[^\W\d_][\w' -]*", rest):
            town = rest
        if not town:
            later = [s for s in segments[index + 1 :] if s and not any(c.isdigit() for c in s)]
            town = later[0] if later else ""
        return Address(
            street=street,
            number=str(int(match.group("number"))),
            addition=addition,
            postcode=postcode,
            town=_town_key(town.removeprefix("te ").removeprefix("in ")),
        )
    return None


def address_keys(address: Address) -> list[str]:
    """The keyed hashes under which an address is found: by street and by postcode."""
    unit = f"{address.number}|{address.addition}"
    keys = [blind_index(f"street|{address.street}|{unit}", purpose="signal-address")]
    if address.postcode:
        keys.append(blind_index(f"postcode|{address.postcode}|{unit}", purpose="signal-address"))
    return keys


def town_key(address: Address) -> str:
    return blind_index(address.town, purpose="signal-address-town") if address.town else ""


def postcode_key(address: Address) -> str:
    return (
        blind_index(address.postcode, purpose="signal-address-postcode") if address.postcode else ""
    )


def agree(one: str, other: str) -> bool:
    """Two hashed towns (or postcodes) agree unless both places name one and they differ."""
    return not one or not other or one == other
