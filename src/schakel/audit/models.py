from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction


class AuditEvent(models.Model):
    """One access to or change of case data, with the fields NEN 7513 asks for. Append-only:
    nothing in Schakel updates or deletes these rows."""

    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("event"), max_length=16, choices=AuditAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Copied as text so the entry stays readable after accounts or memberships change.
    user_label = models.CharField(_("user name"), max_length=200, blank=True)
    roles = models.CharField(_("organisation and role"), max_length=500, blank=True)
    access_point = models.CharField(_("access point"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_ids = models.JSONField(_("objects"), default=list)
    fields = models.JSONField(_("fields"), default=list)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"
