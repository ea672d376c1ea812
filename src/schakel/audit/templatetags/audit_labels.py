"""The audit log's words (audit/labels.py) for templates outside the audit app."""

from django import template

from schakel.audit import labels

register = template.Library()
register.filter("purpose_label", labels.purpose_label)
register.filter("roles_label", labels.roles_label)
