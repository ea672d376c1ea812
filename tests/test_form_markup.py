"""Form markup a screen reader relies on: every `aria-describedby` points at an element that
exists, so help texts and errors are read out with their field."""

import re

import pytest
from django.urls import reverse

from .world import build_world

pytestmark = pytest.mark.django_db


def described_but_missing(html: str) -> set[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    wanted = {i for group in re.findall(r'aria-describedby="([^"]+)"', html) for i in group.split()}
    return wanted - ids


def test_every_aria_describedby_points_at_an_element_on_the_reporting_and_case_pages(client):
    world = build_world()
    case = world.open_case()
    client.force_login(world.users["af"])
    pages = [
        reverse("intake:report"),
        reverse("cases:detail", args=[case.reference]),
        reverse("intake:detail", args=[world.signal.reference]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "aria-describedby" in html, url
        assert described_but_missing(html) == set(), url
