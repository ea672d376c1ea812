"""A new screen cannot ship without saying who may open it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from schakel.core.access import ACCESS_ATTRIBUTE
from schakel.core.admin_site import SchakelAdminSite


def walk(patterns, namespace=None, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(
                entry.url_patterns, entry.namespace or namespace, prefix + str(entry.pattern)
            )
        elif isinstance(entry, URLPattern):
            yield namespace, prefix + str(entry.pattern), entry.callback


def admin_site_of(callback):
    """The AdminSite that guards an admin view (wrapped view, bound method, or model admin)."""
    for candidate in (callback, getattr(callback, "__wrapped__", None)):
        owner = getattr(candidate, "__self__", None)
        for source in (candidate, owner, getattr(candidate, "model_admin", None)):
            site = getattr(source, "admin_site", None)
            if site is not None:
                return site
        if owner is not None and hasattr(owner, "has_permission"):
            return owner
    return None


ALL_VIEWS = list(walk(get_resolver().url_patterns))


def test_the_walk_finds_the_views():
    assert len(ALL_VIEWS) > 10


@pytest.mark.parametrize(
    ("namespace", "route", "callback"), ALL_VIEWS, ids=[v[1] for v in ALL_VIEWS]
)
def test_every_view_declares_its_access_rule(namespace, route, callback):
    if namespace == "admin":
        # Every admin view runs through SchakelAdminSite.has_permission and PolicyAdmin.
        assert isinstance(admin_site_of(callback), SchakelAdminSite)
        return
    assert getattr(callback, ACCESS_ATTRIBUTE, None) is not None, (
        f"{route} has no access declaration: decorate it with public, authenticated or governed"
    )


NON_PUBLIC_NAMES = [
    "home",
    "intake:report",
    "intake:queue",
    "intake:mine",
    "cases:list",
    "worklist:actions",
    "inspections:list",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", NON_PUBLIC_NAMES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_visitors_cannot_open_a_signal(client):
    from .factories import SignalFactory

    signal = SignalFactory()
    for name in ("intake:detail", "intake:received"):
        response = client.get(reverse(name, args=[signal.reference]))
        assert response.status_code == 302
