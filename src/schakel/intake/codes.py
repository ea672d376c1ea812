"""Reference numbers and feedback codes: read out over the phone, random, never guessable.

A public reporter gets a feedback code once; Schakel keeps only a keyed hash of it, so the code
cannot be read back from the database and a lost code cannot be shown again.

The code is 80 random bits, not a password a person chose: there is no dictionary to slow down,
so a password KDF (PBKDF2 with a million iterations, 0.6 s of CPU per check) buys nothing but a
way to exhaust the server. It is stored as HMAC-SHA256 under a subkey of
SCHAKEL_BLIND_INDEX_KEY (kept outside the database), over the signal's reference and the code:
a copy of the database without the key cannot test guesses at all, and a code never matches
another signal's hash. Hashes made before (Django password hashes) still match, and are replaced
by the keyed form on the first successful check (`public_feedback_for`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password

# No 0/O or 1/I: reference numbers and codes are read out and typed over.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# Four groups of four characters of a 32-letter alphabet: 16 × 5 = 80 bits.
FEEDBACK_CODE_GROUPS = 4
FEEDBACK_CODE_GROUP_LENGTH = 4
# Names the scheme of a stored hash; anything else non-empty is a legacy Django password hash.
SCHEME = "hmac-sha256"
# Derives the feedback-code subkey from the blind-index key: no other keyed hash can equal it.
SUBKEY_PURPOSE = b"schakel/feedback-code/v1"


def new_feedback_code() -> str:
    """For example 'K7QM-3XPA-VH9R-TZ2E'."""
    return "-".join(
        "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(FEEDBACK_CODE_GROUP_LENGTH))
        for _ in range(FEEDBACK_CODE_GROUPS)
    )


def normalise_code(text: str) -> str:
    """What the reporter typed, without spaces, dashes or case: 'k7qm 3xpa…' → 'K7QM3XPA…'."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _subkey() -> bytes:
    key = str(settings.SCHAKEL_BLIND_INDEX_KEY).encode()
    return hmac.new(key, SUBKEY_PURPOSE, hashlib.sha256).digest()


def hash_feedback_code(code: str, *, reference: str) -> str:
    """The stored form: 'hmac-sha256$' + 64 hex digits, bound to the signal's reference."""
    message = f"{reference.strip().upper()}\x00{normalise_code(code)}".encode()
    return f"{SCHEME}${hmac.new(_subkey(), message, hashlib.sha256).hexdigest()}"


# Compared with when there is no stored hash, so that the work and the comparison are the same.
_NO_HASH = f"{SCHEME}${'0' * 64}"


@dataclass(frozen=True)
class CodeCheck:
    matches: bool
    # The keyed form to store in place of a legacy password hash that matched; "" otherwise.
    upgraded: str = ""


def check_feedback_code(code: str, stored: str, *, reference: str) -> CodeCheck:
    """Whether the code belongs to the stored hash. An empty `stored` (unknown reference,
    internal signal) takes the same work, so the timing does not tell whether a reference
    exists. A legacy password hash is checked with Django's hasher (slow, once): when it
    matches, `upgraded` holds the keyed form to store instead."""
    if stored and not stored.startswith(SCHEME + "$"):
        if check_password(normalise_code(code), stored):
            return CodeCheck(True, hash_feedback_code(code, reference=reference))
        return CodeCheck(False)
    expected = hash_feedback_code(code, reference=reference)
    equal = hmac.compare_digest(expected, stored or _NO_HASH)
    return CodeCheck(equal and bool(stored))


def feedback_code_matches(code: str, stored: str, *, reference: str) -> bool:
    return check_feedback_code(code, stored, reference=reference).matches
