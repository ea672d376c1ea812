"""The one redaction service: names in free text replaced by pseudonyms for display.

Free text (a case's situation, the timeline, agreements, reasons, the minutes of a meeting) is
written by people who know the names. A viewer who may see a case or a meeting only
pseudonymised reads it through a `Redactor` built from the persons concerned: every person's full
name, and every part of it of three letters or more that is not a particle ("van", "de" …), is
replaced by their pseudonym ("Slachtoffer 1").

Matching is on a folded copy of the text, so that what a reader sees as the name is found
however it was typed: compatibility forms (full-width letters, ligatures, non-breaking spaces)
are decomposed, accents and other combining marks dropped, case folded, and invisible format
characters (zero-width spaces and joiners, direction marks) ignored; the replacement is made in
the original text. Redaction errs on the side of replacing: "Jose" is taken for "José".

A `Redactor` is immutable and shared freely; `Redactor.none()` leaves text as it is, for viewers
who may see the names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Dutch (and a few other) name particles are too common to redact on their own.
PARTICLES = frozenset({"van", "der", "den", "de", "het", "ter", "ten", "la", "le", "el", "al"})

MIN_PART_LENGTH = 3
# Characters that add nothing to the text as read: combining marks and format characters.
_IGNORED = frozenset({"Mn", "Me", "Cf"})
_SEPARATORS = re.compile(r"[\W_]+")


def _fold_char(char: str) -> str:
    if unicodedata.category(char) in _IGNORED:
        return ""
    if char.isascii():
        return char.lower()
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
    return "".join(c for c in folded if unicodedata.category(c) not in _IGNORED)


def fold(text: str) -> str:
    """The text as redaction compares it: decomposed, without marks or format characters,
    case folded."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(char) for char in text)


def _folded_with_index(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character it
    came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    chars: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        folded = _fold_char(char)
        chars.append(folded)
        index.extend([position] * len(folded))
    return "".join(chars), index


def _name_patterns(name: str) -> list[str]:
    """The regular expressions (on folded text) for a name: every run of two or more of its
    words that ends in a word other than a particle, with any separator or none between them
    ("Ana Maria", "Ana-Maria", "AnaMaria", "de Vries"); then each whitespace-separated part and
    each word of three letters or more that is not a particle on its own."""
    folded = fold(name)
    words = [w for w in _SEPARATORS.split(folded) if w]
    patterns = [
        r"[\W_]*".join(re.escape(w) for w in words[start:end])
        for start in range(len(words))
        for end in range(start + 2, len(words) + 1)
        if words[end - 1] not in PARTICLES
    ]
    for part in folded.split() + words:
        if len(_SEPARATORS.sub("", part)) >= MIN_PART_LENGTH and part not in PARTICLES:
            patterns.append(re.escape(part))
    return patterns


@dataclass(frozen=True)
class Redactor:
    """Replaces the names of persons by their pseudonyms: `redactor(text) -> str`."""

    pattern: re.Pattern[str] | None = None
    # The pseudonym for each alternative of the pattern, by group number (group n+1 → [n]).
    pseudonyms: tuple[str, ...] = ()

    @classmethod
    def none(cls) -> Redactor:
        """The identity: for a viewer who may see the names."""
        return cls()

    @classmethod
    def for_persons(cls, persons: Iterable[tuple[str, str]]) -> Redactor:
        """A redactor for `(name, pseudonym)` pairs. Where a part of a name is shared by two
        persons (a surname in a family), the longest match wins, then the first person."""
        alternatives: list[tuple[int, int, str, str]] = []
        for order, (name, pseudonym) in enumerate(persons):
            for pattern in _name_patterns(name or ""):
                alternatives.append((-len(pattern), order, pattern, pseudonym))
        if not alternatives:
            return cls()
        # Longest first, so that the full name is replaced as one and not part by part.
        alternatives.sort(key=lambda a: (a[0], a[1]))
        seen: set[str] = set()
        groups: list[str] = []
        pseudonyms: list[str] = []
        for _length, _order, pattern, pseudonym in alternatives:
            if pattern in seen:
                continue
            seen.add(pattern)
            groups.append(f"({pattern})")
            pseudonyms.append(pseudonym)
        compiled = re.compile(rf"(?<!\w)(?:{'|'.join(groups)})(?!\w)")
        return cls(pattern=compiled, pseudonyms=tuple(pseudonyms))

    @property
    def redacts(self) -> bool:
        return self.pattern is not None

    def __call__(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        folded, index = _folded_with_index(text)
        pieces: list[str] = []
        done = 0
        for match in self.pattern.finditer(folded):
            start = index[match.start()]
            end = index[match.end() - 1] + 1
            # Marks and invisible characters right after the name belong to it.
            while end < len(text) and unicodedata.category(text[end]) in _IGNORED:
                end += 1
            if start < done:  # two folded matches within one original character
                continue
            pieces.append(text[done:start])
            pieces.append(self.pseudonyms[(match.lastindex or 1) - 1])
            done = end
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)
