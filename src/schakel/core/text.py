"""Free text a rule depends on: a reason must be a reason.

A required reason (the urgent override, a deviation from the advice, sharing without a basis, a
legal hold, withheld feedback …) is what the people after us read to understand a step. A
reason of invisible characters ("\u00a0\u200b") or of one letter records nothing, so every
service that requires one passes it through `reason_text`.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LETTERS = 3
_SPACES = re.compile(r"[^\S\n]+")


def clean_text(value: str) -> str:
    """The text as a person reads it: format characters (zero-width spaces, joiners, direction
    marks: category Cf) and control characters other than newline and tab removed, every other
    kind of space (Z*) made a plain space, runs of spaces collapsed, the ends stripped."""
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if category == "Cf" or (category == "Cc" and char not in "\n\t"):
            continue
        kept.append(" " if category.startswith("Z") or char == "\t" else char)
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(kept).split("\n")]
    return "\n".join(lines).strip()


def letters_in(value: str) -> int:
    return sum(1 for char in value if unicodedata.category(char).startswith("L"))


def reason_text(value: str, *, message: str | None = None, min_letters: int = MIN_LETTERS) -> str:
    """The cleaned reason, or ValidationError when fewer than `min_letters` letters remain."""
    cleaned = clean_text(value or "")
    if letters_in(cleaned) < min_letters:
        raise ValidationError(message or _("Give the reason in words."), code="no_reason")
    return cleaned


def has_reason(value: str, *, min_letters: int = MIN_LETTERS) -> bool:
    return letters_in(clean_text(value or "")) >= min_letters
