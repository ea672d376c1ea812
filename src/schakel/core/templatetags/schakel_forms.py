"""Ids the form partials share: where an error summary's link lands, and the id of one box of a
checklist the template lays out itself."""

from __future__ import annotations

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id of the control an error links to: the field's own, or for a group of boxes or
    inputs in a fieldset (radios, checkboxes, also in groups, a split date) its first one."""
    if field.use_fieldset:
        for first in field.subwidgets:
            return str(first.id_for_label)
    return str(field.id_for_label)


@register.filter
def choice_id(field: BoundField, value: object) -> str:
    """The id Django would give the box of `value` among the field's choices, so that a checklist
    laid out by hand keeps the ids the error summary links to."""
    for option in field.subwidgets:
        if str(option.data["value"]) == str(value):
            return str(option.id_for_label)
    return ""


@register.filter
def marks_optional(field: BoundField) -> bool:
    """Whether the label says "(optional)": for an optional field of a form that also asks
    something required. A form of filters or a search, all optional, marks none."""
    if field.field.required:
        return False
    return any(other.required for other in field.form.fields.values())
