from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.core.forms import CalendarDateField

from .choices import AuditAction
from .selectors import AuditQuery


class AuditSearchForm(forms.Form):
    username = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", _("All events")), *AuditAction.choices]
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object number"), required=False, max_length=64)
    date_from = CalendarDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = CalendarDateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["object_type"]
        field.choices = [("", _("All types")), *((t, t) for t in object_types)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data

    def to_query(self) -> AuditQuery:
        data = self.cleaned_data
        return AuditQuery(
            username=data.get("username", ""),
            action=data.get("action", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
