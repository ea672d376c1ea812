import io

import pytest

from schakel.core.context import AccessContext
from schakel.core.policies import actor_for
from schakel.organisations.choices import Role

from .factories import MunicipalityFactory, OrganisationFactory, user_with_role


def context_for(user) -> AccessContext:
    return AccessContext(actor=actor_for(user), access_point="test")


@pytest.fixture(autouse=True)
def audit_checkpoint_dir(settings, tmp_path):
    """Each test keeps the audit log's checkpoints outside the database in a directory of its
    own (SCHAKEL_AUDIT_CHECKPOINT_DIR), as production keeps them apart from the database."""
    settings.SCHAKEL_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    return settings.SCHAKEL_AUDIT_CHECKPOINT_DIR


@pytest.fixture(autouse=True, scope="session")
def flush_through_the_audit_gate():
    """Tests on a committing database (live_server, the concurrency tests) end with Django's
    `flush`, which the audit log's triggers refuse, as they should in production. The test
    harness's flush goes through the removal gate, the way retention does. SQLite's flush
    deletes table by table: the gate's own table goes last, or the gate would close midway."""
    from django.db import transaction
    from django.db.backends.base.operations import BaseDatabaseOperations

    from schakel.audit.gate import removal_gate

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        gate_last = sorted(sql_list, key=lambda sql: "audit_auditgate" in sql)
        with (
            transaction.atomic(using=self.connection.alias),
            removal_gate(),
            self.connection.cursor() as cursor,
        ):
            for sql in gate_last:
                cursor.execute(sql)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture
def seal(django_capture_on_commit_callbacks):
    """Run `seal_audit_log` as the scheduler would, its checkpoint file written on commit."""
    from django.core.management import call_command

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seal_audit_log", stdout=io.StringIO())

    return run


@pytest.fixture
def demo_settings(settings):
    """The demo region loads only where the demo settings would be active (SCHAKEL_DEMO)."""
    settings.SCHAKEL_DEMO = True
    return settings


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Brakelveen")


@pytest.fixture
def other_municipality(db, municipality):
    return MunicipalityFactory(name="Wolderzijl", region=municipality.region)


@pytest.fixture
def af_oov(municipality):
    return user_with_role(Role.AF_OOV, municipality=municipality)


@pytest.fixture
def other_af_oov(other_municipality):
    return user_with_role(Role.AF_OOV, municipality=other_municipality)


@pytest.fixture
def municipal_reporter(municipality):
    return user_with_role(Role.MUNICIPAL_REPORTER, municipality=municipality)


@pytest.fixture
def hotel_reporter(municipality):
    hotel = OrganisationFactory(secondary=True, municipality=municipality, name="Hotel")
    return user_with_role(Role.PARTNER_REPORTER, organisation=hotel)


# --- Second factor (accounts) -----------------------------------------------------------------


@pytest.fixture
def second_factor_required(settings):
    """Two-factor authentication as in production (the test settings may turn it off)."""
    settings.SCHAKEL_REQUIRE_SECOND_FACTOR = True
    return settings


@pytest.fixture
def enrol_second_factor(db):
    """Give a user a confirmed authenticator device and ten recovery codes: (device, codes)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def enrol(user):
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        codes = [f"code{n}{StaticToken.random_token()}" for n in range(10)]
        static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        for code in codes:
            static.token_set.create(token=code)
        return device, codes

    return enrol


@pytest.fixture
def totp_code():
    """The authenticator app: the current six-digit code for a device (or a raw key)."""
    from django_otp.oath import TOTP

    def code(device_or_key) -> str:
        key = getattr(device_or_key, "bin_key", device_or_key)
        return f"{TOTP(key).token():06d}"

    return code


def mailed(subject_part: str = "") -> set[str]:
    """Everyone who got a mail whose subject holds `subject_part` (one message per person)."""
    from django.core import mail

    return {
        address
        for message in mail.outbox
        if subject_part in message.subject
        for address in message.to
    }
