"""The forms of the annual report's edit page. The rules (who writes, which goal can be met,
text that is text) live in monitoring/services.py; these only read the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GoalYear
from .services import GOAL_LENGTH, TITLE_LENGTH

MET_CHOICES = [
    ("", _("Not assessed")),
    ("yes", _("Met")),
    ("no", _("Not met")),
]


class ReportForm(forms.Form):
    introduction = forms.CharField(
        label=_("Introduction"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
    )
    is_public = forms.BooleanField(
        label=_("Public report: hide small counts for every reader, also in the PDF"),
        required=False,
    )
    show_reference_figures = forms.BooleanField(
        label=_("Show reference figures from the study and CoMensha"), required=False
    )


class GoalForm(forms.Form):
    year_kind = forms.ChoiceField(
        label=_("For which year"), choices=GoalYear.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Goal"), max_length=GOAL_LENGTH)
    met = forms.ChoiceField(
        label=_("Met"),
        choices=MET_CHOICES,
        required=False,
        help_text=_("Only for a goal of the report's own year."),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_LENGTH)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50000
    )
