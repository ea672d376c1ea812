"""Production keeps its database connections between requests (checked before reuse) instead of
opening a new one for every request; development, demo and tests keep closing them."""

import json

from .test_demo_and_settings import POSTGRES, PRODUCTION_KEYS, run_settings

SHOW = (
    "d = settings.DATABASES['default']; "
    "print(json.dumps([d.get('CONN_MAX_AGE', 0), d.get('CONN_HEALTH_CHECKS', False), "
    "d['ATOMIC_REQUESTS']]))"
)


def database_settings(module, **env):
    result = run_settings(
        module,
        "import json; " + SHOW,
        SECRET_KEY="x" * 50,
        DATABASE_URL=POSTGRES,
        **PRODUCTION_KEYS,
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_keeps_a_connection_a_minute_and_checks_it_before_reuse():
    assert database_settings("schakel.config.settings.production") == [60, True, False]


def test_the_operator_can_still_close_each_connection():
    max_age, _checks, _atomic = database_settings(
        "schakel.config.settings.production", DATABASE_CONN_MAX_AGE="0"
    )
    assert max_age == 0


def test_tests_close_their_connections_as_before():
    assert database_settings("schakel.config.settings.test")[0] == 0
