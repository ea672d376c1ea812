from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Indicator

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class SourceListField(forms.CharField):
    """Source numbers typed as "12, 27" and stored as the list ["12", "27"]."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [item for item in (part.strip() for part in re.split(r"[,;]", text)) if item]


class IndicatorForm(forms.ModelForm):  # type: ignore[type-arg]
    sources = SourceListField(
        label=_("sources"),
        required=False,
        help_text=_("Numbers of the sources in the study's list, e.g. 12, 27."),
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "text_nl",
            "text_en",
            "category",
            "kind",
            "subject",
            "exploitation_forms",
            "strength",
            "ilo_grade",
            "ilo_indicator",
            "sources",
            "source_note",
            "counts_as",
            "is_active",
            "position",
        ]
        widgets = {
            "exploitation_forms": forms.CheckboxSelectMultiple,
            "text_nl": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
            "source_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_counts_as(self) -> Indicator | None:
        target: Indicator | None = self.cleaned_data.get("counts_as")
        if target is None:
            return None
        if self.instance.pk and target.pk == self.instance.pk:
            raise ValidationError(_("An indicator cannot count as itself."))
        if target.counts_as_id is not None:
            raise ValidationError(
                _("That indicator itself counts as another: choose the broader one.")
            )
        if self.instance.pk and self.instance.counted_by.exists():
            raise ValidationError(
                _("Other indicators count as this one: it cannot count as another itself.")
            )
        return target


class IndicatorImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("A YAML (.yaml, .yml) or CSV (.csv) file in UTF-8.")
    )
    replace = forms.BooleanField(
        label=_("Deactivate indicators that are not in the file"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is too large (at most 2 MB)."))
        try:
            self.cleaned_data["content"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file must be UTF-8 text.")) from None
        return upload

    @property
    def format(self) -> str:
        name = self.cleaned_data["file"].name.lower()
        return "csv" if name.endswith(".csv") else "yaml"
