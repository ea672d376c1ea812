"""Keyed, privacy-preserving encodings of a person for the hit/no-hit registry.

Nothing here returns a plaintext identifier. Three kinds of output, all under a secret key kept
outside the database (settings.SCHAKEL_MATCHING_KEY, falling back to SCHAKEL_BLIND_INDEX_KEY;
each use gets its own sub-key derived with a purpose string):

- blocking keys: truncated HMACs of (name token / initial / Soundex / skeleton, date or year)
  combinations and order-free name pairs, for equality look-up;
- Bloom filters (CLK-style) of the padded bigrams of the given names, the surname and a consonant
  skeleton, with keyed random hashing (no double hashing), compared with the Dice coefficient;
- short keyed digests of the date of birth, its year and its one-digit-wildcard variants, and of
  optional attributes (sex, nationality, ...).

The filters and digests of one person are sealed together (AES-GCM, random nonce) before they are
stored, so a copy of the database without the key shows uniformly random bytes: no Hamming
weights, no shared bit patterns, no frequencies (see docs/matching.md).

The plaintext side (folding, tokens, dates) is normalise.py; comparing two encodings and the
decision are scoring.py.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .normalise import (
    BirthDate,
    date_variants,
    fold,
    has_arabic,
    name_field_share,
    name_pair_share,
    name_tokens,
    skeleton,
    soundex,
)

# 512-bit filters with k = 10 keep the fill of the earlier 1024 / 20 (a name of ~8 bigrams sets
# ~15 % of the bits) at half the size: a million registrations fit in memory (see
# bench/compact_index.py).
BLOOM_BITS = 512
BLOOM_HASHES = 10
DIGEST_BYTES = 8
WILD_BYTES = 4  # the eight one-digit-wildcard digests of a date: 32 bytes, collisions 2^-32 each
KEY_HEX = 32  # blocking keys: 128-bit keyed BLAKE2b, as hex

# --- Keys -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keys:
    """Sub-keys derived from the one secret, one per purpose."""

    block: bytes
    bloom: bytes
    digest: bytes
    seal: bytes
    pad: bytes

    @classmethod
    def derive(cls, secret: str | bytes) -> Keys:
        master = secret.encode() if isinstance(secret, str) else secret

        def sub(purpose: str) -> bytes:
            return hmac.new(master, f"schakel-matching-v2:{purpose}".encode(), "sha256").digest()

        return cls(sub("block"), sub("bloom"), sub("digest"), sub("seal"), sub("pad"))


# Keyed BLAKE2b (RFC 7693's MAC mode) rather than HMAC-SHA256: the same keyed-PRF property at a
# third of the cost; a lookup computes ~100 keys.
def block_key(keys: Keys, text: str) -> str:
    return hashlib.blake2b(text.encode(), key=keys.block, digest_size=KEY_HEX // 2).hexdigest()


def digest(keys: Keys, text: str, size: int = DIGEST_BYTES) -> bytes:
    return hashlib.blake2b(text.encode(), key=keys.digest, digest_size=size).digest()


def padding_key(keys: Keys) -> str:
    """A random-looking key that only the key holder can tell from a blocking key: 8 random
    bytes and their 8-byte keyed MAC. The database cannot tell padding from real keys; an index
    built from it (bench/compact_index.py) drops the padding."""
    nonce = os.urandom(KEY_HEX // 4)
    tag = hashlib.blake2b(nonce, key=keys.pad, digest_size=KEY_HEX // 4).digest()
    return (nonce + tag).hex()


def is_padding(keys: Keys, key: str) -> bool:
    raw = bytes.fromhex(key)
    half = len(raw) // 2
    tag = hashlib.blake2b(raw[:half], key=keys.pad, digest_size=half).digest()
    return hmac.compare_digest(tag, raw[half:])


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


MAX_CANDIDATES = 15  # a lookup compares at most this many (those sharing most keys)
MAX_KEYS = 40  # a registration stores at most this many blocking keys (padded up to it)


# Optional attributes that are also blocking keys (alone, or with a name initial), so a person
# whose name and date both changed is still found through them (the full profile).
BLOCKING_ATTRIBUTES = ("identifier", "address")
BLOCKING_WITH_INITIAL = ("postcode", "locality")


def _registration_keys(
    keys: Keys,
    given: list[str],
    family: list[str],
    full: str | None,
    year: str | None,
    attributes: dict[str, str] | None = None,
) -> list[str]:
    """Blocking keys in priority order (the first MAX_KEYS are kept). Each one survives a
    different error: a name typo (initial + date, soundex + year), a date typo (token + year,
    name pair), swapped given name and surname (all order-free)."""
    tokens = sorted(set(given + family))
    anchor = year or "?"
    out: list[str] = []
    if full:
        out += [f"i|{t[0]}|{full}" for t in tokens]
        out += [f"t|{t}|{full}" for t in tokens]
    out += [f"t|{t}|{anchor}" for t in tokens]
    out += ["p|" + "|".join(sorted((g, s))) for g in given for s in family]
    out += [f"x|{soundex(t)}|{anchor}" for t in tokens]
    out += [f"k|{skeleton(t)}|{anchor}" for t in tokens]
    out += ["q|" + "|".join(sorted((soundex(g), soundex(s)))) for g in given for s in family]
    for name, value in (attributes or {}).items():
        if name in BLOCKING_ATTRIBUTES:
            out.append(f"a|{name}|{value}")
        elif name in BLOCKING_WITH_INITIAL:
            out += [f"a|{name}|{value}|{t[0]}" for t in tokens]
    return [block_key(keys, text) for text in dict.fromkeys(out)][:MAX_KEYS]


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
    wild: set[bytes] = set()
    if full:
        compact = full.replace("-", "")
        wild = {
            digest(keys, "w|" + compact[:i] + "?" + compact[i + 1 :], WILD_BYTES) for i in range(8)
        }
    folded = {
        name: fold(value)
        for name, value in {**(attributes or {}), **(fuzzy or {})}.items()
        if value
    }
    return Encoded(
        block_keys=set(_registration_keys(keys, given, family, full, year, folded)),
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
    dob_transposed: frozenset[bytes] = frozenset()
    year_near: frozenset[bytes] = frozenset()
    name_keys: frozenset[str] = frozenset()  # its order-free name-pair keys: counts namesakes
    # How common its name is (normalise.name_pair_share): in memory only, never stored.
    name_share: float = 0.0
    given_share: float = 0.0  # of each name field alone (normalise.name_field_share)
    surname_share: float = 0.0
    dob_precision: str = "none"  # full / year / none, of the query's own date


def encode_query(keys: Keys, **person: object) -> Query:
    encoded = encode_person(keys, **person)  # type: ignore[arg-type]
    dob: BirthDate = person["dob"]  # type: ignore[assignment]
    given = name_tokens(str(person["given_names"]))
    family = name_tokens(str(person["surname"]))
    tokens = sorted(set(given + family))
    initials = sorted({t[0] for t in tokens})
    extra: set[str] = set()
    swapped, one_digit, transposed = date_variants(dob)
    for variant in one_digit | transposed | ({swapped} if swapped else set()):
        # A registered date with one error is still found through an initial.
        extra |= {block_key(keys, f"i|{i}|{variant}") for i in initials}
    if swapped:
        extra |= {block_key(keys, f"t|{t}|{swapped}") for t in tokens}
    years: list[str] = []
    if dob.year:
        # A registration with only a year, or none, is still found by a lookup with a full date;
        # a year off by one is tried for the name tokens.
        years = [f"{dob.year + delta:04d}" for delta in (0, -1, 1)]
    for anchor in [*years, "?"]:
        extra |= {block_key(keys, f"t|{t}|{anchor}") for t in tokens}
        extra |= {block_key(keys, f"x|{soundex(t)}|{anchor}") for t in tokens}
        extra |= {block_key(keys, f"k|{skeleton(t)}|{anchor}") for t in tokens}
    near = (
        frozenset(digest(keys, f"y|{dob.year + delta:04d}") for delta in (-1, 1))
        if dob.year
        else frozenset()
    )
    pairs = {"p|" + "|".join(sorted((g, s))) for g in given for s in family}
    return Query(
        encoded,
        frozenset(encoded.block_keys | extra),
        digest(keys, "d|" + swapped) if swapped else None,
        frozenset(digest(keys, "d|" + v) for v in transposed),
        near,
        frozenset(block_key(keys, text) for text in pairs),
        name_share=name_pair_share(str(person["given_names"]), str(person["surname"])),
        given_share=name_field_share(str(person["given_names"])),
        surname_share=name_field_share(str(person["surname"])),
        dob_precision=dob.precision,
    )


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


@lru_cache(maxsize=4)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key[:32])


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
    return nonce + _aead(keys.seal).encrypt(nonce, _pack_fields(items), b"involvement")


def unseal(keys: Keys, sealed: bytes) -> Encoded:
    raw = _aead(keys.seal).decrypt(sealed[:12], bytes(sealed[12:]), b"involvement")
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
        dob_wild=frozenset(wild[i : i + WILD_BYTES] for i in range(0, len(wild), WILD_BYTES)),
        attributes={n[2:]: v for n, v in found.items() if n.startswith("a:")},
        fuzzy={n[2:]: int.from_bytes(v, "big") for n, v in found.items() if n.startswith("f:")},
    )
