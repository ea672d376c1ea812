"""Reference numbers and feedback codes: read out over the phone, random, never guessable.

A public reporter gets a feedback code once; Schakel keeps only a salted hash of it, so the
code cannot be read back from the database and a lost code cannot be shown again.
"""

from __future__ import annotations

import functools
import re
import secrets

from django.contrib.auth.hashers import check_password, make_password

# No 0/O or 1/I: reference numbers and codes are read out and typed over.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# Four groups of four characters of a 32-letter alphabet: 16 × 5 = 80 bits.
FEEDBACK_CODE_GROUPS = 4
FEEDBACK_CODE_GROUP_LENGTH = 4


def new_feedback_code() -> str:
    """For example 'K7QM-3XPA-VH9R-TZ2E'."""
    return "-".join(
        "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(FEEDBACK_CODE_GROUP_LENGTH))
        for _ in range(FEEDBACK_CODE_GROUPS)
    )


def normalise_code(text: str) -> str:
    """What the reporter typed, without spaces, dashes or case: 'k7qm 3xpa…' → 'K7QM3XPA…'."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def hash_feedback_code(code: str) -> str:
    return make_password(normalise_code(code))


def feedback_code_matches(code: str, hashed: str) -> bool:
    """Takes as long when there is no hash to compare with (unknown reference, internal signal),
    so the answer's timing does not tell whether a reference exists."""
    matches = check_password(normalise_code(code), hashed or _dummy_hash())
    return matches and bool(hashed)


@functools.cache
def _dummy_hash() -> str:
    return make_password(new_feedback_code())
