"""Every form endpoint refuses a POST without a CSRF token with 403 and writes nothing: each cell
of tests/test_authorization_posts.py, sent its valid body by someone who may take the step, from
a client that checks CSRF as a browser's request is checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from .test_authorization_posts import (
    ACTORS,
    CELLS,
    Cell,
    body_for,
    fingerprint,
    fingerprint_sql,
    post_world,  # noqa: F401  (a fixture)
    quiet_refusals,  # noqa: F401  (a fixture)
    role_of,
    sign_in,
)


def allowed_actor(cell: Cell) -> str:
    """The first actor with a chosen role who may take the step at home; otherwise the AF OOV."""
    for who in ACTORS:
        if role_of(who) is not None and cell.may(who, "own") is None:
            return who
    return "af_oov"


@pytest.mark.django_db
def test_every_form_endpoint_refuses_a_post_without_a_csrf_token_and_writes_nothing(
    post_world,  # noqa: F811
    quiet_refusals,  # noqa: F811
):
    sql = fingerprint_sql()
    failures = []
    for cell in CELLS:
        who = allowed_actor(cell)
        client = Client(enforce_csrf_checks=True)
        sign_in(client, post_world, who)
        baseline = fingerprint(sql)
        data: Any = body_for(cell, "valid", post_world, "own", who) or {}
        with transaction.atomic():
            response = client.post(cell.url(post_world, "own"), data)
            written = fingerprint(sql) != baseline
            transaction.set_rollback(True)
        if response.status_code != 403:
            failures.append(f"{cell.name} as {who}: {response.status_code}")
        if written:
            failures.append(f"{cell.name} as {who}: wrote")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/melden/", "/melden/terugkoppeling/", "/login/", "/language/"])
def test_a_visitors_form_without_a_csrf_token_is_refused(path):
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code in (200, 302, 405)  # a CSRF cookie may now be set
    response = client.post(path, {"username": "x", "password": "y", "language": "en"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_same_form_with_its_token_passes_the_csrf_check():
    """The refusals above are the CSRF check's, not something else's."""
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/login/", {"username": "x", "password": "y", "csrfmiddlewaretoken": token}
    )
    assert response.status_code != 403
