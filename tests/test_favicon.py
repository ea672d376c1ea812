"""The browser's icon: /favicon.ico answers, and every page links the icon."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_favicon_ico_answers_with_the_icon_for_anyone(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\0\0\1\0"  # an ICO header, one image
    assert body == Path(finders.find("schakel/img/favicon.ico")).read_bytes()


def test_every_page_links_the_icon(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'rel="icon" href="/static/schakel/img/favicon.svg"' in html
    assert finders.find("schakel/img/favicon.svg")
