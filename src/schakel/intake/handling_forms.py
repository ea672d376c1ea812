"""The reporting point's forms on a signal: enrich, link, route, give feedback, close."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.catalogue.choices import RECORDED_KINDS
from schakel.catalogue.models import Indicator

from .choices import CloseReason, EnrichmentKind, LinkBasis, Routing
from .models import Signal


class EnrichForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you add?"), choices=EnrichmentKind.choices)
    text = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AddIndicatorsForm(forms.Form):
    """Indicators the AF found while enriching, from the whole catalogue: the signs and facts
    not recorded on the signal yet, grouped by category."""

    indicators = forms.MultipleChoiceField(
        label=_("Indicators you found"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recorded = {i.pk for i in (*signal.indicators.all(), *signal.added_indicators.all())}
        available = [
            i
            for i in Indicator.objects.filter(is_active=True, kind__in=RECORDED_KINDS).order_by(
                "category", "position"
            )
            if i.pk not in recorded
        ]
        groups: dict[str, list[tuple[str, str]]] = {}
        for indicator in available:
            groups.setdefault(str(indicator.get_category_display()), []).append(
                (indicator.code, indicator.text)
            )
        field: Any = self.fields["indicators"]
        field.choices = list(groups.items())


class LinkForm(forms.Form):
    other = forms.CharField(
        label=_("Reference of the other signal"),
        max_length=20,
        help_text=_("For example MH-2026-0042."),
    )
    basis = forms.ChoiceField(
        label=_("Why do they belong together?"),
        choices=LinkBasis.choices,
        initial=LinkBasis.SAME_PREMISES,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=300,
        help_text=_("Not needed when the address index shows the same address."),
    )

    def clean_other(self) -> str:
        return str(self.cleaned_data["other"]).strip().upper()


class RouteForm(forms.Form):
    destination = forms.ChoiceField(
        label=_("Route to"), choices=Routing.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why, and what did you agree with the partner?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class FeedbackForm(forms.Form):
    """Feedback, or why there is none. What the reporter may not be told is the service's rule
    (`signal_give_feedback`): the view shows its refusal on this form, the text kept."""

    feedback = forms.CharField(
        label=_("Feedback to the reporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_(
            "What the reporter may know: that the report was picked up and, in general terms, "
            "what was done. No personal data of others: feedback to a citizen or a secondary "
            "partner with a name, phone number, e-mail address, BSN or IBAN is refused."
        ),
    )
    withheld_reason = forms.CharField(
        label=_("Or: why no feedback can be given"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_(
            "For example: a criminal investigation has started. Only the reporting point reads "
            "this; the reporter reads that no feedback can be given."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("feedback", "").strip()) == bool(data.get("withheld_reason", "").strip()):
            raise forms.ValidationError(
                _("Write the feedback, or the reason why no feedback can be given (not both).")
            )
        return data


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=CloseReason.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Required when the signal is not human trafficking."),
    )


class PickUpForm(forms.Form):
    """No fields: picking up is one button."""
