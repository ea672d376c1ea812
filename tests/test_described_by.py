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


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
NOT_A_CONTROL = {"hidden", "submit", "button", "reset", "image"}


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.described_by: list[tuple[str, str]] = []  # (element, the id it refers to)
        self.forms: list[tuple[str, str]] = []  # (method, action)
        self.inert = 0  # inside a <template>: not part of the page until a script puts it there
        self.open: list[tuple[str, bool]] = []  # (tag, starts an error summary)
        self.labels_for: set[str] = set()
        self.controls: list[tuple[str, str, bool]] = []  # (name, id, labelled without a for)
        self.summaries = 0
        self.summary_links: list[str] = []  # the ids an error summary links to
        self.field_errors = 0  # error slots of fields (partials/field.html's "errors")

    def inside(self, tag: str) -> bool:
        return any(open_tag == tag for open_tag, _summary in self.open)

    def in_summary(self) -> bool:
        return any(summary for _tag, summary in self.open)

    def handle_endtag(self, tag):
        if tag == "template":
            self.inert -= 1
        if self.inert or tag in VOID:
            return
        while self.open:  # close up to the matching tag, as a browser does
            if self.open.pop()[0] == tag:
                break

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
        if tag == "label" and values.get("for"):
            self.labels_for.add(values["for"])
        if tag in ("input", "select", "textarea") and values.get("type") not in NOT_A_CONTROL:
            named = bool(values.get("aria-label") or values.get("aria-labelledby"))
            self.controls.append(
                (values.get("name") or tag, values.get("id") or "", named or self.inside("label"))
            )
        if "errors" in (values.get("class") or "").split():
            self.field_errors += 1
        if tag == "a" and self.in_summary() and (values.get("href") or "").startswith("#"):
            self.summary_links.append(values["href"][1:])
        starts_summary = "data-error-summary" in values
        self.summaries += starts_summary
        if tag not in VOID:
            self.open.append((tag, starts_summary))


def broken_references(html: str) -> list[str]:
    markup = Markup()
    markup.feed(html)
    problems = []
    for element, ref in markup.described_by:
        found = markup.ids.count(ref)
        if found != 1:
            problems.append(f"{element} → #{ref} ({'missing' if not found else f'{found} times'})")
    return problems


def unlabelled_controls(html: str) -> list[str]:
    """Controls a screen reader announces without a name: no <label for>, no wrapping label,
    no aria-label(ledby)."""
    markup = markup_of(html)
    return [
        f"{name} has no label"
        for name, id_, named in markup.controls
        if not named and id_ not in markup.labels_for
    ]


def summary_problems(html: str) -> list[str]:
    """An error summary for every page that shows a field error, each of its links landing on
    one control of the page."""
    markup = markup_of(html)
    problems = []
    if markup.field_errors and not markup.summaries:
        problems.append(f"{markup.field_errors} field errors but no error summary")
    control_ids = [id_ for _name, id_, _named in markup.controls]
    for target in markup.summary_links:
        if control_ids.count(target) != 1:
            problems.append(f"the summary links to #{target}, which is not one control")
    return problems


def form_problems(html: str) -> list[str]:
    return broken_references(html) + unlabelled_controls(html) + summary_problems(html)


def markup_of(html: str) -> Markup:
    markup = Markup()
    markup.feed(html)
    return markup


def check(client, url, seen, problems, summaries_seen, *, post=True):
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    markup = markup_of(html)
    if not markup.forms:
        return
    seen.add(url)
    problems += [f"GET {url}: {p}" for p in form_problems(html)]
    if not post:
        return
    for method, action in markup.forms:
        target = action or url
        if method != "post" or target in NOT_POSTED:
            continue
        answer = client.post(target, {})
        if "text/html" in answer.get("Content-Type", "") and answer.status_code in (200, 400):
            summaries_seen.append(markup_of(answer.content.decode()).summaries)
            problems += [f"POST {target}: {p}" for p in form_problems(answer.content.decode())]


def test_every_form_page_labels_its_fields_and_every_reference_finds_its_element(
    client,
    world,  # noqa: F811
):
    """Every aria-describedby finds its element once, every control has a label, and a page
    that shows a field error has an error summary whose links land on controls."""
    seen: set[str] = set()
    problems: list[str] = []
    summaries_seen: list[int] = []
    for role in ROLES:
        user = user_for(role, world["municipality"])
        client.force_login(user)
        for name, (build, _expected) in sorted(RULES.items()):
            if name in ("logout", "set_language"):
                continue
            check(client, build(world, "own"), seen, problems, summaries_seen)
        client.logout()
    for url in (
        reverse("login"),
        reverse("intake:public_report"),
        reverse("intake:public_feedback"),
    ):
        check(client, url, seen, problems, summaries_seen)
    assert problems == []
    # The walk reached the forms that matter, with help texts and errors to refer to.
    for name in ("intake:report", "intake:public_report", "meetings:plan", "matching:lookup"):
        assert reverse(name) in seen, name
    assert len(seen) >= 15
    assert sum(1 for count in summaries_seen if count) >= 10  # the empty posts were refused


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
