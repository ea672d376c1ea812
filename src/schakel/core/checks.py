"""System checks of the secrets kept outside the database (docs/operations.md, "Keys").

They run with `manage.py check` (and `--deploy`) and at the start of every management command,
`migrate` among them; the production settings already refuse to start without the keys.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

MIN_KEY_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10
SECRETS = ("SECRET_KEY", "SCHAKEL_BLIND_INDEX_KEY", "SCHAKEL_AUDIT_KEY", "SCHAKEL_MATCHING_KEY")
HINT = "Make one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
FERNET_HINT = (
    "Make one with: python -c "
    "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


def key_weakness(key: str) -> str | None:
    """Why the key is too easy to guess, or None. Never says the key itself."""
    if len(key) < MIN_KEY_LENGTH:
        return f"is {len(key)} characters long; it needs at least {MIN_KEY_LENGTH}"
    if len(set(key)) < MIN_DISTINCT_CHARACTERS:
        return f"has fewer than {MIN_DISTINCT_CHARACTERS} different characters"
    if _repeats_a_pattern(key):
        return "repeats one short pattern"
    return None


def _repeats_a_pattern(key: str) -> bool:
    """`abcabcabc…` (also with a cut-off last repetition)."""
    return any(
        key == (key[:size] * (len(key) // size + 1))[: len(key)]
        for size in range(1, len(key) // 2 + 1)
    )


@register(Tags.security)
def check_secret_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for name in SECRETS:
        value = getattr(settings, name, "")
        if name == "SCHAKEL_MATCHING_KEY" and not value:
            continue  # optional: the registry falls back to SCHAKEL_BLIND_INDEX_KEY
        weakness = key_weakness(str(value))
        if weakness:
            errors.append(Error(f"{name} {weakness}.", hint=HINT, id="schakel.E001"))
    return errors


@register(Tags.security)
def check_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    keys = list(getattr(settings, "SCHAKEL_ENCRYPTION_KEYS", []))
    if not keys:
        return [Error("SCHAKEL_ENCRYPTION_KEYS holds no key.", hint=FERNET_HINT, id="schakel.E002")]
    errors: list[CheckMessage] = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            problem = "is not a Fernet key (32 bytes in URL-safe base64)"
        else:
            problem = key_weakness(key) or ""
        if problem:
            errors.append(
                Error(
                    f"Key {position} of SCHAKEL_ENCRYPTION_KEYS {problem}.",
                    hint=FERNET_HINT,
                    id="schakel.E002",
                )
            )
    return errors
