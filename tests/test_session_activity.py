"""A session ends after half an hour without a request, but a page view does not write the
session: the idle timeout restarts at most once a minute (core/middleware.py)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schakel.core.middleware import SESSION_ACTIVITY_RESOLUTION

pytestmark = pytest.mark.django_db

QUEUE = reverse("intake:queue")


def session_writes(client, url=QUEUE, **query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    writes = [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))
    ]
    return response, writes


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_page_view_by_a_logged_in_user_does_not_write_the_session(client, af_oov):
    client.force_login(af_oov)  # the login marks the session as active
    for _ in range(3):
        response, writes = session_writes(client)
        assert response.status_code == 200
        assert writes == []


def test_the_idle_timeout_restarts_once_a_minute_of_use(client, af_oov):
    start = timezone.now()
    with at(start):
        client.force_login(af_oov)
        client.get(QUEUE)
    first_expiry = expiry(client)
    with at(start + timedelta(seconds=SESSION_ACTIVITY_RESOLUTION - 1)):
        assert session_writes(client)[1] == []
    assert expiry(client) == first_expiry
    later = start + timedelta(seconds=SESSION_ACTIVITY_RESOLUTION)
    with at(later):
        _response, writes = session_writes(client)
    assert len(writes) == 1 and writes[0].startswith("UPDATE")
    assert expiry(client) == later + timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_session_still_ends_after_half_an_hour_without_a_request(client, af_oov):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    start = timezone.now()
    with at(start):
        client.force_login(af_oov)
        client.get(QUEUE)
    with at(start + timedelta(minutes=29)):
        assert client.get(QUEUE).status_code == 200  # still in use: the timer restarts
    with at(start + timedelta(minutes=29 + 30, seconds=1)):
        response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_visitor_without_a_session_gets_none(client):
    response, writes = session_writes(client, reverse("intake:public_report"))
    assert response.status_code == 200 and writes == []
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_logging_out_leaves_no_session_behind(client, af_oov):
    client.force_login(af_oov)
    client.get(QUEUE)
    client.post(reverse("logout"))
    assert not Session.objects.exists()
