"""The forms of the self-assessment screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.core.forms import CalendarDateField

from .choices import LEVELS, EvidenceKind
from .models import Condition, MaturityLevel


class LevelRadios(forms.RadioSelect):
    """Radios whose options are each described by their level's criterion (rendered beside
    the option, with the id `<option id>_criterion`)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        option_id = option["attrs"].get("id")
        if option_id:
            option["attrs"]["aria-describedby"] = f"{option_id}_criterion"
        return option


class AnswerForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level reached"), coerce=int, widget=LevelRadios, choices=()
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the level rests on, what is planned. No names of people."),
    )

    def __init__(
        self, *args: Any, condition: Condition, levels: list[MaturityLevel], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", condition.code)
        super().__init__(*args, **kwargs)
        names = {level.level: level.name for level in levels}
        criteria = {c.level: c.text for c in condition.criteria.all()}
        descriptions = {level.level: level.description for level in levels}
        field: Any = self.fields["level"]
        field.choices = [(level, f"{level} · {names.get(level, level)}") for level in LEVELS]
        # The option's description: the observable criterion of the level (0: not even 1).
        self.criteria = {
            level: criteria.get(level) or descriptions.get(level, "") for level in LEVELS
        }

    def options(self) -> list[tuple[Any, str]]:
        """Each radio of the level with its criterion, in order."""
        return list(zip(self["level"], [self.criteria[level] for level in LEVELS], strict=True))


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceKind.choices)
    title = forms.CharField(
        label=_("What it is"),
        max_length=200,
        help_text=_("For example: Beleidsplan mensenhandel 2026, adopted by the college."),
    )
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where to find it (the document itself stays in your own records)."),
    )
    on = CalendarDateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, condition: Condition, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"evidence-{condition.code}")
        super().__init__(*args, **kwargs)


class StartForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), widget=forms.HiddenInput)


class FinaliseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the answers: finalise this self-assessment for good"),
    )
