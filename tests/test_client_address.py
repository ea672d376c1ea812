"""Behind reverse proxies the audit log, the lock-out and the rate limits see the client, and a
client cannot forge its address by sending X-Forwarded-For itself."""

import pytest
from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.core.middleware import client_address

from .factories import SignalFactory


@pytest.mark.parametrize(
    ("header", "proxies", "expected"),
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),  # the client's own entry is ignored
        ("6.6.6.6, 203.0.113.7, 10.0.0.2", 2, "203.0.113.7"),
        ("203.0.113.7", 0, None),  # no trusted proxy: the header means nothing
        ("203.0.113.7", 2, None),  # fewer hops than proxies: cannot tell
        ("not-an-address", 1, None),
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_the_client_is_the_entry_the_outermost_trusted_proxy_added(header, proxies, expected):
    assert client_address(header, proxies) == expected


@pytest.mark.django_db
def test_the_audit_log_records_the_client_behind_the_proxy(client, settings, af_oov, municipality):
    url = reverse("intake:detail", args=[SignalFactory(municipality=municipality).reference])
    settings.SCHAKEL_PROXY_COUNT = 1
    client.force_login(af_oov)
    client.get(url, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert AuditEvent.objects.latest("id").ip_address == "203.0.113.7"
    settings.SCHAKEL_PROXY_COUNT = 0
    client.get(url, HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.1")
    assert AuditEvent.objects.latest("id").ip_address == "10.0.0.1"
