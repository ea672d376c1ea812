"""Encryption at rest for identifying fields, and keyed hashes to search them.

- Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under SCHAKEL_ENCRYPTION_KEYS, a
  list of keys kept outside the database: the first encrypts, all of them decrypt. Rotating a
  key: put a new key first, run `manage.py rotate_encryption_keys`, then drop the old key.
- Searching never decrypts rows: a blind index is an HMAC-SHA256 of the normalised value under
  SCHAKEL_BLIND_INDEX_KEY, stored next to the ciphertext and compared for equality. A copy of
  the database without the keys reveals neither the values nor which rows share a value with a
  guess the attacker cannot hash.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "fernet:"  # marks ciphertext, so a stray plaintext value is never mistaken for one


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SCHAKEL_ENCRYPTION_KEYS is empty")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            f"An encryption key is not a valid Fernet key: {error}"
        ) from None


def _keys() -> tuple[str, ...]:
    return tuple(settings.SCHAKEL_ENCRYPTION_KEYS)


def encrypt(value: str) -> str:
    return PREFIX + _fernet(_keys()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return _fernet(_keys()).decrypt(token[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ValueError("cannot decrypt: the key that encrypted this value is missing") from None


BYTES_PREFIX = PREFIX.encode()


def encrypt_bytes(data: bytes) -> bytes:
    """A file's content, encrypted like a field value (for files at rest)."""
    return BYTES_PREFIX + _fernet(_keys()).encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    if not token.startswith(BYTES_PREFIX):
        raise ValueError("not encrypted content")
    try:
        return _fernet(_keys()).decrypt(token[len(BYTES_PREFIX) :])
    except InvalidToken:
        raise ValueError("cannot decrypt: the key that encrypted this file is missing") from None


def reencrypt(token: str) -> str:
    """The same value under the current primary key (for key rotation)."""
    return PREFIX + _fernet(_keys()).rotate(token[len(PREFIX) :].encode()).decode()


def normalise(value: str) -> str:
    """Case, accents, spacing and punctuation do not change what is searched for."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    letters = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(letters.split())


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash for equality search; `purpose` keeps indexes of different fields apart."""
    key = str(settings.SCHAKEL_BLIND_INDEX_KEY).encode()
    message = f"{purpose}\x00{normalise(value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
