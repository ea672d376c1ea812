"""A feedback code is 80 random bits, not a password: it is kept as a keyed HMAC bound to its
signal's reference, never run through the password hasher (a million PBKDF2 rounds per public
submission and per check). Codes issued under the old password hash keep working and move to
the keyed form on their first successful check."""

import hashlib
import hmac
from unittest import mock

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from schakel.intake import codes
from schakel.intake.codes import (
    check_feedback_code,
    feedback_code_matches,
    hash_feedback_code,
    new_feedback_code,
    normalise_code,
)
from schakel.intake.models import Signal
from schakel.intake.selectors import public_feedback_for
from schakel.intake.services import signal_report_public

from .test_public_intake import ANONYMOUS_CONTEXT, public_report


class CountingHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 (the production default), with few rounds, counting its work."""

    iterations = 1000
    calls = 0

    def encode(self, password, salt, iterations=None):
        CountingHasher.calls += 1
        return super().encode(password, salt, iterations)


@pytest.fixture
def hasher_calls(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return lambda: CountingHasher.calls


@pytest.fixture
def reported(municipality):
    return signal_report_public(context=ANONYMOUS_CONTEXT, report=public_report(municipality))


def legacy_hash(code: str) -> str:
    """How a code was stored before: Django's password hash of the normalised code."""
    return make_password(normalise_code(code))


@pytest.mark.django_db
def test_a_public_report_and_its_feedback_check_run_no_password_hasher(hasher_calls, reported):
    signal, code = reported
    assert public_feedback_for(ANONYMOUS_CONTEXT, reference=signal.reference, code=code)
    assert not public_feedback_for(
        ANONYMOUS_CONTEXT, reference=signal.reference, code=new_feedback_code()
    )
    assert not public_feedback_for(ANONYMOUS_CONTEXT, reference="MH-2026-ZZZZZZ", code=code)
    assert hasher_calls() == 0


@pytest.mark.django_db
def test_the_code_is_stored_as_a_named_hmac_under_a_key_outside_the_database(settings, reported):
    signal, code = reported
    scheme, digest = signal.feedback_code_hash.split("$")
    assert scheme == "hmac-sha256"
    assert len(digest) == 64
    subkey = hmac.new(
        settings.SCHAKEL_BLIND_INDEX_KEY.encode(), b"schakel/feedback-code/v1", hashlib.sha256
    ).digest()
    message = f"{signal.reference}\x00{normalise_code(code)}".encode()
    assert digest == hmac.new(subkey, message, hashlib.sha256).hexdigest()
    settings.SCHAKEL_BLIND_INDEX_KEY = "another-key-" + settings.SCHAKEL_BLIND_INDEX_KEY
    assert not feedback_code_matches(code, signal.feedback_code_hash, reference=signal.reference)


@pytest.mark.django_db
def test_a_code_never_opens_another_report_even_with_its_hash_copied(municipality, reported):
    signal, code = reported
    other, _other_code = signal_report_public(
        context=ANONYMOUS_CONTEXT, report=public_report(municipality)
    )
    Signal.objects.filter(pk=other.pk).update(feedback_code_hash=signal.feedback_code_hash)
    assert public_feedback_for(ANONYMOUS_CONTEXT, reference=other.reference, code=code) is None
    assert public_feedback_for(ANONYMOUS_CONTEXT, reference=signal.reference, code=code)


def test_an_unknown_reference_is_compared_in_constant_time_like_a_known_one():
    code = new_feedback_code()
    with mock.patch.object(codes.hmac, "compare_digest", wraps=hmac.compare_digest) as compare:
        assert not check_feedback_code(code, "", reference="MH-2026-ZZZZZZ").matches
        stored = hash_feedback_code(code, reference="MH-2026-K7QM3X")
        assert check_feedback_code(code, stored, reference="MH-2026-K7QM3X").matches
    assert compare.call_count == 2
    (no_hash, _), (known, _) = (call.args for call in compare.call_args_list)
    assert len(no_hash) == len(known)


@pytest.mark.django_db
def test_a_code_issued_before_still_opens_its_report_and_is_then_kept_as_hmac(
    hasher_calls, reported
):
    signal, code = reported
    Signal.objects.filter(pk=signal.pk).update(feedback_code_hash=legacy_hash(code))
    hasher_calls_before = hasher_calls()

    assert public_feedback_for(ANONYMOUS_CONTEXT, reference=signal.reference, code=code)
    assert hasher_calls() == hasher_calls_before + 1
    signal.refresh_from_db()
    assert signal.feedback_code_hash == hash_feedback_code(code, reference=signal.reference)

    assert public_feedback_for(ANONYMOUS_CONTEXT, reference=signal.reference, code=code)
    assert hasher_calls() == hasher_calls_before + 1  # the keyed form from now on


@pytest.mark.django_db
def test_a_wrong_code_leaves_an_old_hash_as_it_was(hasher_calls, reported):
    signal, code = reported
    old = legacy_hash(code)
    Signal.objects.filter(pk=signal.pk).update(feedback_code_hash=old)
    assert (
        public_feedback_for(ANONYMOUS_CONTEXT, reference=signal.reference, code=new_feedback_code())
        is None
    )
    signal.refresh_from_db()
    assert signal.feedback_code_hash == old


@pytest.mark.django_db
def test_the_upgrade_is_undone_with_the_check_when_it_fails(hasher_calls, reported):
    """Rehash and audit entry in one transaction: without the audit entry, no new hash."""
    signal, code = reported
    old = legacy_hash(code)
    Signal.objects.filter(pk=signal.pk).update(feedback_code_hash=old)
    with (
        mock.patch("schakel.intake.selectors.audit_record", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        public_feedback_for(ANONYMOUS_CONTEXT, reference=signal.reference, code=code)
    signal.refresh_from_db()
    assert signal.feedback_code_hash == old
