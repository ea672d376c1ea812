from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.core.forms import DutchDateField
from schakel.organisations.models import Organisation

from .choices import AuditAction
from .labels import object_kind_choices
from .selectors import AuditQuery


class AuditSearchForm(forms.Form):
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=150,
        help_text=_("User name, or part of the first or last name."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        empty_label=_("All organisations"),
    )
    action = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", _("All events")), *AuditAction.choices]
    )
    object_type = forms.ChoiceField(label=_("Kind of object"), required=False)
    object_id = forms.CharField(label=_("Object number"), required=False, max_length=64)
    date_from = DutchDateField(label=_("From"), required=False)
    date_to = DutchDateField(label=_("Up to and including"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["object_type"]
        field.choices = [("", _("All kinds")), *object_kind_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data

    def to_query(self) -> AuditQuery:
        data = self.cleaned_data
        organisation = data.get("organisation")
        return AuditQuery(
            person=data.get("person", ""),
            organisation=organisation.name if organisation else "",
            action=data.get("action", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
