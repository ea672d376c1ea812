"""Normalisation of names and dates of birth for the hit/no-hit registry.

Plain functions on plaintext, without keys: script folding (Cyrillic, Arabic, Greek and special
Latin letters to Latin, diacritics and punctuation removed), name tokens without particles, a
consonant skeleton, Soundex, and dates of birth with their precision and the typo variants a
lookup also tries. encoding.py turns their output into keyed encodings; nothing here is stored.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date
from importlib import resources

# --- Scripts and names -----------------------------------------------------------------------

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya", "ў": "u", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "ђ": "dj",
    "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}  # fmt: skip
# Arabic script has no short vowels: the table gives consonants (and long vowels); the consonant
# skeleton filter below bridges "محمد" and "Mohammed".
ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i", "ب": "b",
    "ت": "t", "ة": "a", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh",
    "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "w", "ي": "y",
    "ى": "a", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "y",
}  # fmt: skip
GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip
LATIN = {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
         "ı": "i", "ĳ": "ij"}  # fmt: skip
TABLE = {**CYRILLIC, **ARABIC, **GREEK, **LATIN}
ARABIC_LETTERS = frozenset(ARABIC)

# Name particles (tussenvoegsels and their kin): dropped, so "van der Berg" meets "Berg".
PARTICLES = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "ten",
        "ter",
        "te",
        "op",
        "in",
        "t",
        "s",
        "d",
        "von",
        "zu",
        "vom",
        "zum",
        "la",
        "le",
        "les",
        "du",
        "des",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "dei",
        "lo",
        "el",
        "al",
        "bin",
        "ben",
        "ibn",
        "bint",
        "binti",
        "abu",
        "ould",
        "oglu",
        "ogly",
        "kyzy",
        "mac",
    ]
)
VOWELS = frozenset("aeiouyw")


def fold(text: str) -> str:
    """Lower case, transliterated to Latin, without diacritics or punctuation. Invisible
    characters (zero-width spaces and joiners, soft hyphens, null bytes and other controls)
    are dropped, so they neither split nor hide a name."""
    out = []
    for char in text.casefold():
        if unicodedata.category(char) in ("Cf", "Cc"):
            continue
        out.append(TABLE.get(char, char))
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    kept = (c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(kept).split())


def has_arabic(text: str) -> bool:
    return any(c in ARABIC_LETTERS for c in text)


def name_tokens(text: str) -> list[str]:
    """Tokens of a name, particles removed (kept if the name is nothing else)."""
    tokens = [t for t in fold(text).split() if t.isalpha()]
    core = [t for t in tokens if t not in PARTICLES]
    return core or tokens


def skeleton(token: str) -> str:
    """Consonants only, doubles collapsed: 'mohammed' and 'mhmd' both become 'mhmd'."""
    out: list[str] = []
    for c in token:
        if c in VOWELS or (out and out[-1] == c):
            continue
        out.append(c)
    return "".join(out) or token[:1]


SOUNDEX = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(token: str) -> str:
    """American Soundex (first letter + three consonant classes): survives most single typos
    after the first letter, e.g. 'maxon'/'mason' -> m250, 'musoilno'/'musolino' -> m245."""
    if not token:
        return ""
    out, last = [], SOUNDEX.get(token[0], "")
    for c in token[1:]:
        code = SOUNDEX.get(c, "")
        if code and code != last:
            out.append(code)
        if c not in "hw":
            last = code
    return (token[0] + "".join(out) + "000")[:4]


# --- Dates of birth --------------------------------------------------------------------------


@dataclass(frozen=True)
class BirthDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.year is None:
            return "none"
        return "full" if self.month else "year"


def birth_date(date_of_birth: date | None = None, birth_year: int | None = None) -> BirthDate:
    """1 January is the registries' placeholder for an unknown date: treated as year only."""
    if date_of_birth is not None:
        if (date_of_birth.month, date_of_birth.day) == (1, 1):
            return BirthDate(year=date_of_birth.year)
        return BirthDate(date_of_birth.year, date_of_birth.month, date_of_birth.day)
    return BirthDate(year=birth_year) if birth_year else BirthDate()


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return (month, day) != (1, 1)


def date_variants(d: BirthDate) -> tuple[str | None, set[str], set[str]]:
    """Of a full date: the day/month swap, the one-digit variants and the adjacent-digit
    transpositions that are valid dates (as YYYY-MM-DD)."""
    if d.precision != "full" or d.year is None or d.month is None or d.day is None:
        return None, set(), set()
    compact = f"{d.year:04d}{d.month:02d}{d.day:02d}"

    def as_date(text: str) -> str | None:
        y, m, dd = int(text[:4]), int(text[4:6]), int(text[6:8])
        if not 1800 <= y <= 2100 or not 1 <= m <= 12 or not 1 <= dd <= 31 or not _valid(y, m, dd):
            return None
        return f"{text[:4]}-{text[4:6]}-{text[6:8]}"

    swapped = as_date(f"{d.year:04d}{d.day:02d}{d.month:02d}") if d.day != d.month else None
    one_digit = {  # not in the century: "19" -> "29" is no date of birth
        as_date(compact[:i] + c + compact[i + 1 :])
        for i in range(2, 8)
        for c in "0123456789"
        if c != compact[i]
    }
    transposed = {
        as_date(compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :])
        for i in range(7)
        if compact[i] != compact[i + 1]
    }
    return swapped, {v for v in one_digit if v}, {v for v in transposed if v}


# --- How common a name is --------------------------------------------------------------------

NAMES_FILE = "names.json"


@dataclass(frozen=True)
class NameShares:
    """names.json, normalised: per origin the share of each name token among people of that
    origin (given names and surnames apart), and the tail share of any token not listed."""

    version: int
    given: dict[str, dict[str, float]]  # origin -> token -> share
    surname: dict[str, dict[str, float]]
    tail_given: float
    tail_surname: float
    given_skeletons: dict[str, dict[str, float]]  # the same, by consonant skeleton
    surname_skeletons: dict[str, dict[str, float]]

    @classmethod
    def load(cls) -> NameShares:
        raw = json.loads(
            resources.files("schakel.matching").joinpath(NAMES_FILE).read_text(encoding="utf-8")
        )
        given: dict[str, dict[str, float]] = {}
        surname: dict[str, dict[str, float]] = {}
        for origin, table in raw["origins"].items():
            for field, out in (("given", given), ("surname", surname)):
                shares = out.setdefault(origin, {})
                for name, share in table[field].items():
                    tokens = name_tokens(name)
                    key = " ".join(tokens)
                    shares[key] = shares.get(key, 0.0) + float(share)
        return cls(
            int(raw["version"]),
            given,
            surname,
            float(raw["tail"]["given"]),
            float(raw["tail"]["surname"]),
            _by_skeleton(given),
            _by_skeleton(surname),
        )

    def _field(self, table: dict[str, float], tokens: list[str], tail: float) -> float:
        """Share of a name field among one origin: a listed name as a whole, else the product
        of its tokens' shares (each listed or at most the tail), never below tail squared."""
        if not tokens:
            return 1.0  # nothing to agree on: the other field carries the pair
        whole = table.get(" ".join(tokens))
        if whole is not None:
            return whole
        product = 1.0
        for token in tokens:
            product *= table.get(token, tail)
        return max(product, tail * tail)

    def pair_share(self, given_names: str, surname: str) -> float:
        """The share of people with this given-name/surname pair in the origin where the pair
        is most frequent (the registry may hold mostly people of one origin), either order
        (names are often written swapped). A pair of unlisted names gets the tail shares.
        A name in Arabic script is compared by its consonant skeleton ('محمد' is 'mhmd', as
        is 'Mohamed'), as the matcher compares it."""
        arabic = has_arabic(given_names + surname)
        given, family = name_tokens(given_names), name_tokens(surname)
        if arabic:
            given, family = [skeleton(t) for t in given], [skeleton(t) for t in family]
        tables = (
            (self.given_skeletons, self.surname_skeletons) if arabic else (self.given, self.surname)
        )
        best = 0.0
        for first, last in ((given, family), (family, given)):
            for origin in tables[0]:
                share = self._field(tables[0][origin], first, self.tail_given) * self._field(
                    tables[1][origin], last, self.tail_surname
                )
                best = max(best, share)
        return best

    def field_share(self, name: str) -> float:
        """The share of people bearing this one name field (a given name or a surname) in the
        origin and role where it is most frequent: for a pair on which only this name agrees."""
        arabic = has_arabic(name)
        tokens = [skeleton(t) for t in name_tokens(name)] if arabic else name_tokens(name)
        if not tokens:
            return 0.0
        best = 0.0
        for tables, tail in (
            (self.given_skeletons if arabic else self.given, self.tail_given),
            (self.surname_skeletons if arabic else self.surname, self.tail_surname),
        ):
            for table in tables.values():
                best = max(best, self._field(table, tokens, tail))
        return best


def _by_skeleton(tables: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for origin, table in tables.items():
        shares = out.setdefault(origin, {})
        for name, share in table.items():
            key = " ".join(skeleton(t) for t in name.split())
            shares[key] = shares.get(key, 0.0) + share
    return out


NAME_SHARES = NameShares.load()  # once, at import


def name_pair_share(given_names: str, surname: str) -> float:
    """How common this name is: the share of people of the most likely origin who bear it."""
    return NAME_SHARES.pair_share(given_names, surname)


def name_field_share(name: str) -> float:
    """How common one name field is on its own (see NameShares.field_share)."""
    return NAME_SHARES.field_share(name)
