from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction


class AuditEvent(models.Model):
    """One access to or change of case data, with the fields NEN 7513 asks for.

    Append-only and tamper-evident: each entry carries the keyed hash of its own content and of
    the entry before it (see audit/chain.py), so an edited or removed entry breaks the chain.
    """

    sequence = models.PositiveBigIntegerField(_("sequence number"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    action = models.CharField(_("event"), max_length=16, choices=AuditAction.choices)
    # PROTECT: accounts are deactivated, never deleted, so the trail keeps pointing at them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
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
    # The people the data is about ("app.Model:pk"), so that a person's accesses can be listed.
    subjects = models.JSONField(_("persons concerned"), default=list)
    fields = models.JSONField(_("fields"), default=list)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    entry_hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return (
            f"#{self.sequence} {self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"
        )


class AuditChainHead(models.Model):
    """The last link of the chain: one row, locked while an entry is appended, so concurrent
    writers append one after the other."""

    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.entry_hash}"
