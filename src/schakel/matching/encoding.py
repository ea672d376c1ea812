"""Keyed, privacy-preserving encodings of a person for the hit/no-hit registry.

Nothing here returns a plaintext identifier. Three kinds of output, all under a secret key kept
outside the database (settings.SCHAKEL_MATCHING_KEY, falling back to SCHAKEL_BLIND_INDEX_KEY;
each use gets its own sub-key derived with a purpose string):

- blocking keys: truncated HMACs of (name token, date) combinations, for equality look-up;
- Bloom filters (CLK-style) of the padded bigrams of the given names, the surname and a consonant
  skeleton, with keyed random hashing (no double hashing), compared with the Dice coefficient;
- short keyed digests of the date of birth, its year and its one-digit-wildcard variants, and of
  optional attributes (sex, nationality, ...).

The filters and digests of one person are sealed together (AES-GCM, random nonce) before they are
stored, so a copy of the database without the key shows uniformly random bytes: no Hamming
weights, no shared bit patterns, no frequencies (see docs/matching.md).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

BLOOM_BITS = 1024
BLOOM_HASHES = 20
DIGEST_BYTES = 8
KEY_HEX = 32  # blocking keys: 128-bit truncated HMAC-SHA256, as hex

# --- Normalisation ---------------------------------------------------------------------------

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
    """Lower case, transliterated to Latin, without diacritics or punctuation."""
    out = []
    for char in text.casefold():
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


# --- Keys -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keys:
    """Sub-keys derived from the one secret, one per purpose."""

    block: bytes
    bloom: bytes
    digest: bytes
    seal: bytes

    @classmethod
    def derive(cls, secret: str | bytes) -> Keys:
        master = secret.encode() if isinstance(secret, str) else secret

        def sub(purpose: str) -> bytes:
            return hmac.new(master, f"schakel-matching-v1:{purpose}".encode(), "sha256").digest()

        return cls(sub("block"), sub("bloom"), sub("digest"), sub("seal"))


def block_key(keys: Keys, text: str) -> str:
    return hmac.new(keys.block, text.encode(), "sha256").hexdigest()[:KEY_HEX]


def digest(keys: Keys, text: str) -> bytes:
    return hmac.new(keys.digest, text.encode(), "sha256").digest()[:DIGEST_BYTES]


@lru_cache(maxsize=65536)
def _gram_bits(bloom_key: bytes, gram: str) -> int:
    """Keyed random hashing: the k positions of one bigram, from one keyed BLAKE2b digest."""
    raw = hashlib.blake2b(gram.encode(), key=bloom_key[:64], digest_size=2 * BLOOM_HASHES).digest()
    bits = 0
    for (position,) in struct.iter_unpack(">H", raw):
        bits |= 1 << (position % BLOOM_BITS)
    return bits


def bloom(keys: Keys, tokens: list[str]) -> int:
    bits = 0
    for token in tokens:
        padded = f"_{token}_"
        for i in range(len(padded) - 1):
            bits |= _gram_bits(keys.bloom, padded[i : i + 2])
    return bits


def dice(a: int, b: int) -> float:
    total = a.bit_count() + b.bit_count()
    return 2 * (a & b).bit_count() / total if total else 0.0


def overlap(a: int, b: int) -> float:
    """Containment: 'garcia' inside 'garcia lopez' (compound surnames)."""
    smallest = min(a.bit_count(), b.bit_count())
    return (a & b).bit_count() / smallest if smallest else 0.0


# --- A person, encoded ------------------------------------------------------------------------


@dataclass
class Encoded:
    """What is kept of a person: blocking keys (stored indexed) and a sealed comparison part."""

    block_keys: set[str]
    given: int
    surname: int
    skeleton: int
    arabic: bool
    dob_full: bytes | None
    dob_year: bytes | None
    dob_wild: frozenset[bytes]
    attributes: dict[str, bytes] = field(default_factory=dict)  # exact attributes, digested
    fuzzy: dict[str, int] = field(default_factory=dict)  # free-text attributes, as filters


def _date_strings(d: BirthDate) -> tuple[str | None, str | None]:
    full = f"{d.year:04d}-{d.month:02d}-{d.day:02d}" if d.precision == "full" else None
    year = f"{d.year:04d}" if d.year else None
    return full, year


def encode_person(
    keys: Keys,
    *,
    given_names: str,
    surname: str,
    dob: BirthDate,
    attributes: dict[str, str] | None = None,
    fuzzy: dict[str, str] | None = None,
) -> Encoded:
    given, family = name_tokens(given_names), name_tokens(surname)
    tokens = sorted(set(given + family))
    full, year = _date_strings(dob)
    anchors = [a for a in (full, year) if a] or ["?"]
    keys_out = {block_key(keys, f"t|{t}|{a}") for t in tokens for a in anchors}
    keys_out |= {block_key(keys, f"k|{skeleton(t)}|{anchors[-1]}") for t in tokens}
    keys_out |= {block_key(keys, "p|" + "|".join(sorted((g, s)))) for g in given for s in family}
    if full:
        keys_out |= {block_key(keys, f"i|{t[0]}|{full}") for t in tokens}
    wild: set[bytes] = set()
    if full:
        compact = full.replace("-", "")
        wild = {digest(keys, "w|" + compact[:i] + "?" + compact[i + 1 :]) for i in range(8)}
    return Encoded(
        block_keys=keys_out,
        given=bloom(keys, given),
        surname=bloom(keys, family),
        skeleton=bloom(keys, [skeleton(t) for t in tokens]),
        arabic=has_arabic(given_names + surname),
        dob_full=digest(keys, "d|" + full) if full else None,
        dob_year=digest(keys, "y|" + year) if year else None,
        dob_wild=frozenset(wild),
        attributes={
            name: digest(keys, f"a|{name}|{fold(value)}")
            for name, value in (attributes or {}).items()
            if value and fold(value)
        },
        fuzzy={
            name: bloom(keys, fold(value).split())
            for name, value in (fuzzy or {}).items()
            if value and fold(value)
        },
    )


@dataclass(frozen=True)
class Query:
    """A person looked up: the record's own encoding plus the variants a lookup also tries."""

    encoded: Encoded
    block_keys: frozenset[str]
    dob_swapped: bytes | None


def encode_query(keys: Keys, **person: object) -> Query:
    encoded = encode_person(keys, **person)  # type: ignore[arg-type]
    dob: BirthDate = person["dob"]  # type: ignore[assignment]
    given = name_tokens(str(person["given_names"]))
    family = name_tokens(str(person["surname"]))
    tokens = sorted(set(given + family))
    extra: set[str] = set()
    swapped = None
    if dob.precision == "full" and dob.day and dob.day <= 12 and dob.day != dob.month:
        flipped = f"{dob.year:04d}-{dob.day:02d}-{dob.month:02d}"
        swapped = digest(keys, "d|" + flipped)
        extra |= {block_key(keys, f"t|{t}|{flipped}") for t in tokens}
        extra |= {block_key(keys, f"i|{t[0]}|{flipped}") for t in tokens}
    if dob.year:
        # A registration with only a year, or none, is still found by a lookup with a full date.
        extra |= {block_key(keys, f"t|{t}|{dob.year:04d}") for t in tokens}
        extra |= {block_key(keys, f"k|{skeleton(t)}|{dob.year:04d}") for t in tokens}
    extra |= {block_key(keys, f"t|{t}|?") for t in tokens}
    extra |= {block_key(keys, f"k|{skeleton(t)}|?") for t in tokens}
    return Query(encoded, frozenset(encoded.block_keys | extra), swapped)


# --- Sealing ----------------------------------------------------------------------------------

_BLOOM_BYTES = BLOOM_BITS // 8


def _pack_fields(items: list[tuple[str, bytes]]) -> bytes:
    out = bytearray()
    for name, value in items:
        tag = name.encode()
        out += struct.pack(">BH", len(tag), len(value)) + tag + value
    return bytes(out)


def _unpack_fields(raw: bytes) -> list[tuple[str, bytes]]:
    items, i = [], 0
    while i < len(raw):
        tag_len, value_len = struct.unpack_from(">BH", raw, i)
        i += 3
        tag = raw[i : i + tag_len].decode()
        i += tag_len
        items.append((tag, raw[i : i + value_len]))
        i += value_len
    return items


def _bits(value: int) -> bytes:
    return value.to_bytes(_BLOOM_BYTES, "big")


def seal(keys: Keys, encoded: Encoded) -> bytes:
    items = [
        ("g", _bits(encoded.given)),
        ("s", _bits(encoded.surname)),
        ("k", _bits(encoded.skeleton)),
        ("r", b"\x01" if encoded.arabic else b"\x00"),
    ]
    if encoded.dob_full:
        items.append(("d", encoded.dob_full))
    if encoded.dob_year:
        items.append(("y", encoded.dob_year))
    items.append(("w", b"".join(sorted(encoded.dob_wild))))
    items += [("a:" + n, v) for n, v in sorted(encoded.attributes.items())]
    items += [("f:" + n, _bits(v)) for n, v in sorted(encoded.fuzzy.items())]
    nonce = os.urandom(12)
    return nonce + AESGCM(keys.seal[:32]).encrypt(nonce, _pack_fields(items), b"involvement")


def unseal(keys: Keys, sealed: bytes) -> Encoded:
    raw = AESGCM(keys.seal[:32]).decrypt(sealed[:12], bytes(sealed[12:]), b"involvement")
    found = dict(_unpack_fields(raw))
    wild = found.get("w", b"")
    return Encoded(
        block_keys=set(),
        given=int.from_bytes(found["g"], "big"),
        surname=int.from_bytes(found["s"], "big"),
        skeleton=int.from_bytes(found["k"], "big"),
        arabic=found["r"] == b"\x01",
        dob_full=found.get("d"),
        dob_year=found.get("y"),
        dob_wild=frozenset(wild[i : i + DIGEST_BYTES] for i in range(0, len(wild), DIGEST_BYTES)),
        attributes={n[2:]: v for n, v in found.items() if n.startswith("a:")},
        fuzzy={n[2:]: int.from_bytes(v, "big") for n, v in found.items() if n.startswith("f:")},
    )


# --- Comparing --------------------------------------------------------------------------------

STRONG, POSSIBLE = "strong", "possible"


def name_score(q: Encoded, r: Encoded) -> float:
    whole = dice(q.given | q.surname, r.given | r.surname)
    same = (
        dice(q.given, r.given)
        + max(dice(q.surname, r.surname), 0.95 * overlap(q.surname, r.surname))
    ) / 2
    swapped = (dice(q.given, r.surname) + dice(q.surname, r.given)) / 2
    score = (whole + max(same, swapped)) / 2
    if q.arabic or r.arabic:  # across scripts only the consonants are comparable
        score = max(score, 0.92 * dice(q.skeleton, r.skeleton))
    return score


def dob_score(query: Query, r: Encoded) -> float:
    q = query.encoded
    if q.dob_year is None or r.dob_year is None:
        return 0.6  # unknown on one side: neither for nor against
    if q.dob_full and r.dob_full:
        if q.dob_full == r.dob_full:
            return 1.0
        if query.dob_swapped == r.dob_full:
            return 0.9
        if q.dob_wild & r.dob_wild:
            return 0.75  # one digit differs
        return 0.0
    return 0.8 if q.dob_year == r.dob_year else 0.0  # year only on one side


def decide(name: float, dob: float, *, conflicts: int = 0, supports: int = 0) -> str | None:
    """The band, fixed in advance (not fitted on the benchmark): None is no hit."""
    band = None
    if name >= 0.85 and dob >= 0.9:
        band = STRONG
    elif (
        (name >= 0.75 and dob >= 0.75)
        or (name >= 0.9 and dob >= 0.6)
        or (supports >= 2 and name >= 0.6 and dob >= 0.6)
    ):
        band = POSSIBLE
    if band and conflicts:
        band = POSSIBLE if band == STRONG and supports > conflicts else None
    return band


def compare(query: Query, r: Encoded) -> tuple[str | None, float]:
    """The band and a score for ranking; attributes known on both sides support or conflict."""
    q = query.encoded
    name, dob = name_score(q, r), dob_score(query, r)
    supports = conflicts = 0
    for attribute, value in q.attributes.items():
        other = r.attributes.get(attribute)
        if other is not None:
            if other == value:
                supports += 1
            else:
                conflicts += 1
    for attribute, bits in q.fuzzy.items():
        other_bits = r.fuzzy.get(attribute)
        if other_bits is not None:
            similarity = dice(bits, other_bits)
            supports += similarity >= 0.8
            conflicts += similarity < 0.4
    return decide(name, dob, conflicts=conflicts, supports=supports), (name + dob) / 2
