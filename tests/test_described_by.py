"""Every `aria-describedby` on every page with a form points at an element of the same page,
once: a help text or an error that the id does not find is never read out. The pages are the
authorization matrix's URLs, opened by one user of each role that has forms to fill in, and
every form posted back empty, so that the error messages are rendered too."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from schakel.organisations.choices import Role

from .test_authorization_matrix import RULES, user_for, world  # noqa: F401  (the fixture)

ROLES = (
    Role.AF_OOV,
    Role.MUNICIPAL_REPORTER,
    Role.PARTNER_REPORTER,
    Role.ZORGCOORDINATOR,
    Role.AVIM,
    Role.TOEZICHT_HANDHAVING,
    Role.PRIVACY_OFFICER,
    Role.FUNCTIONAL_ADMIN,
)
# Posting these changes who is logged in, or in which language: not a form with fields.
NOT_POSTED = {reverse("logout"), reverse("set_language"), reverse("accounts:act_as")}


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.described_by: list[tuple[str, str]] = []  # (element, the id it refers to)
        self.forms: list[tuple[str, str]] = []  # (method, action)
        self.inert = 0  # inside a <template>: not part of the page until a script puts it there

    def handle_endtag(self, tag):
        if tag == "template":
            self.inert -= 1

    def handle_starttag(self, tag, attrs):
        if tag == "template":
            self.inert += 1
        if self.inert:
            return
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"])
        for ref in (values.get("aria-describedby") or "").split():
            self.described_by.append((values.get("name") or tag, ref))
        if tag == "form":
            self.forms.append(((values.get("method") or "get").lower(), values.get("action") or ""))


def broken_references(html: str) -> list[str]:
    markup = Markup()
    markup.feed(html)
    problems = []
    for element, ref in markup.described_by:
        found = markup.ids.count(ref)
        if found != 1:
            problems.append(f"{element} → #{ref} ({'missing' if not found else f'{found} times'})")
    return problems


def markup_of(html: str) -> Markup:
    markup = Markup()
    markup.feed(html)
    return markup


def check(client, url, seen, problems, *, post=True):
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    markup = markup_of(html)
    if not markup.forms:
        return
    seen.add(url)
    problems += [f"GET {url}: {p}" for p in broken_references(html)]
    if not post:
        return
    for method, action in markup.forms:
        target = action or url
        if method != "post" or target in NOT_POSTED:
            continue
        answer = client.post(target, {})
        if "text/html" in answer.get("Content-Type", "") and answer.status_code in (200, 400):
            problems += [f"POST {target}: {p}" for p in broken_references(answer.content.decode())]


def test_every_aria_describedby_on_every_form_page_finds_its_element(client, world):  # noqa: F811
    seen: set[str] = set()
    problems: list[str] = []
    for role in ROLES:
        user = user_for(role, world["municipality"])
        client.force_login(user)
        for name, (build, _expected) in sorted(RULES.items()):
            if name in ("logout", "set_language"):
                continue
            check(client, build(world, "own"), seen, problems)
        client.logout()
    for url in (
        reverse("login"),
        reverse("intake:public_report"),
        reverse("intake:public_feedback"),
    ):
        check(client, url, seen, problems)
    assert problems == []
    # The walk reached the forms that matter, with help texts and errors to refer to.
    for name in ("intake:report", "intake:public_report", "meetings:plan", "matching:lookup"):
        assert reverse(name) in seen, name
    assert len(seen) >= 15


@pytest.mark.parametrize("errors", [1, 2])
def test_a_field_with_several_errors_and_a_help_text_refers_to_each_once(errors):
    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        when = forms.DateField(help_text="Dag-maand-jaar")
        agree = forms.BooleanField(help_text="Verplicht")

    form = Form(data={"when": "gisteren"})
    form.is_valid()
    if errors == 2:
        form.add_error("when", "Nog een fout")
    html = "".join(render_to_string("partials/field.html", {"field": field}) for field in form)
    assert 'aria-describedby="id_when_helptext id_when_error"' in html
    assert 'aria-describedby="id_agree_helptext id_agree_error"' in html
    assert broken_references(html) == []
