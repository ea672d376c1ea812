"""Form markup a screen reader relies on: every `aria-describedby` points at an element that
exists, so help texts and errors are read out with their field."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from schakel.core.forms import DutchDateField
from schakel.intake.forms import LongTextField

from .test_described_by import form_problems, markup_of
from .world import build_world


def described_but_missing(html: str) -> set[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    wanted = {i for group in re.findall(r'aria-describedby="([^"]+)"', html) for i in group.split()}
    return wanted - ids


@pytest.mark.django_db
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


class EveryKindOfField(forms.Form):
    name = forms.CharField(label="Naam", help_text="Zoals in het paspoort.")
    remark = LongTextField(label="Toelichting", max_length=200, help_text="Kort.")
    kind = forms.ChoiceField(label="Soort", choices=[("a", "A"), ("b", "B")])
    how = forms.ChoiceField(
        label="Hoe", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="Eén."
    )
    which = forms.MultipleChoiceField(
        label="Welke",
        choices=[("Groep", [("a", "A"), ("b", "B")])],
        widget=forms.CheckboxSelectMultiple,
        help_text="Meer mag.",
    )
    agree = forms.BooleanField(label="Ik ga akkoord", help_text="Nodig om te versturen.")
    attachment = forms.FileField(label="Bijlage", help_text="PDF.")
    when = DutchDateField(label="Datum")
    note = forms.CharField(label="Notitie", required=False)
    token = forms.CharField(widget=forms.HiddenInput)


def rendered(form, formset=None) -> str:
    context = {"form": form, "formset": formset}
    html = render_to_string("partials/form_errors.html", context)
    html += "".join(render_to_string("partials/field.html", {"field": f}) for f in form)
    for subform in formset or ():
        html += "".join(render_to_string("partials/field.html", {"field": f}) for f in subform)
    return html


def test_every_kind_of_field_with_an_error_is_linked_from_the_summary_and_described_by_it():
    form = EveryKindOfField(data={"remark": "x" * 201, "when": "31-02-2026"})
    assert not form.is_valid()
    html = rendered(form)
    assert form_problems(html) == []
    links = markup_of(html).summary_links
    # Each field with an error once, a group of boxes at its first box, the hidden field as text.
    assert links == [
        "id_name",
        "id_remark",
        "id_kind",
        "id_how_0",
        "id_which_0_0",
        "id_agree",
        "id_attachment",
        "id_when",
    ]
    assert "Token: " not in html and "Naam: " in html
    # The error and the help text are read with the control, or with the group's fieldset.
    for control in ("name", "remark", "agree", "attachment"):
        assert f'aria-describedby="id_{control}_helptext id_{control}_error"' in html, control
    assert 'aria-describedby="id_kind_error"' in html
    assert 'aria-describedby="id_when_helptext id_when_error"' in html
    assert html.count('aria-describedby="id_how_helptext id_how_error"') == 1
    assert html.count('aria-describedby="id_which_helptext id_which_error"') == 1
    assert 'data-max-length="200"' in html  # the character counter adds its own id after these


def test_the_summary_has_a_heading_takes_focus_and_comes_first():
    form = EveryKindOfField(data={})
    form.is_valid()
    with translation.override("en"):
        html = render_to_string("partials/form_errors.html", {"form": form})
    assert 'class="utrecht-alert utrecht-alert--error error-summary"' in html
    assert 'tabindex="-1"' in html and "data-error-summary" in html
    assert "<h2" in html and "There is a problem" in html
    assert 'data-title-prefix="Error:"' in html
    assert render_to_string("partials/form_errors.html", {"form": EveryKindOfField()}).strip() == ""


def test_a_refusal_that_belongs_to_no_field_is_listed_as_text():
    form = EveryKindOfField(data={})
    form.is_valid()
    form.add_error(None, "De casus is inmiddels gesloten.")
    html = render_to_string("partials/form_errors.html", {"form": form})
    assert '<li class="error">De casus is inmiddels gesloten.</li>' in html


def test_an_error_in_a_formset_links_to_that_row_s_field():
    class Person(forms.Form):
        role = forms.ChoiceField(label="Rol", choices=[("", "—"), ("victim", "Slachtoffer")])
        age = forms.IntegerField(label="Leeftijd", required=False)

    People = forms.formset_factory(Person, extra=0)
    data = {
        "persons-TOTAL_FORMS": "2",
        "persons-INITIAL_FORMS": "0",
        "persons-0-role": "victim",
        "persons-1-age": "oud",
    }
    people = People(data=data, prefix="persons")
    assert not people.is_valid()
    html = rendered(EveryKindOfField(data={"name": "x"}), people)
    assert "id_persons-1-role" in markup_of(html).summary_links
    assert "id_persons-1-age" in markup_of(html).summary_links
    assert "id_persons-0-role" not in markup_of(html).summary_links
    assert form_problems(html) == []


def test_optional_fields_say_so_and_required_ones_carry_no_mark():
    with translation.override("en"):
        html = rendered(EveryKindOfField())
    assert html.count("(optional)") == 1
    assert 'Notitie <span class="required">(optional)</span>' in html


def test_a_form_of_only_optional_fields_marks_none():
    class Filters(forms.Form):
        status = forms.ChoiceField(label="Status", choices=[("", "—")], required=False)
        since = DutchDateField(label="Vanaf", required=False)

    with translation.override("en"):
        html = rendered(Filters())
    assert "(optional)" not in html
