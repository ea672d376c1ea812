"""The audit log's tables. How they fit together is in docs/architecture.md ("The audit log")."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.expressions import Func
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction


class CurrentTransaction(Func):
    """The writing transaction's id on PostgreSQL (`pg_current_xact_id()`); NULL elsewhere.

    Used as a column default so that every inserted row, however it was inserted, carries it:
    the sealer orders and bounds what it seals by it (see audit/sealing.py)."""

    output_field = models.BigIntegerField()
    template = "NULL"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="(pg_current_xact_id()::text::bigint)", **extra
        )


class AuditEvent(models.Model):
    """One access to or change of case data, with the fields NEN 7513 asks for.

    Append-only and tamper-evident: `entry_mac` is a keyed hash (HMAC, SCHAKEL_AUDIT_KEY) of the
    entry's content, written with the entry, so an edited row is found at once; the sealer later
    numbers the entry and links it into the chain (`AuditSeal`). Appending takes no shared lock.
    """

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
    # The lists are part of the hashed content; AuditObject and AuditSubject index them.
    object_ids = models.JSONField(_("objects"), default=list)
    # The people the data is about ("app.Model:pk"), so that a person's accesses can be listed.
    subjects = models.JSONField(_("persons concerned"), default=list)
    fields = models.JSONField(_("fields"), default=list)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    entry_mac = models.CharField(_("hash"), max_length=64, editable=False)
    # Not hashed: it only decides when and in which order the entry is sealed.
    txid = models.BigIntegerField(null=True, editable=False, db_default=CurrentTransaction())

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["txid", "id"], name="audit_event_txid_idx"),
            # The search's filters, newest first, without walking the whole log for a rare one
            # (an export, a kind of object seldom read): `WHERE action = … ORDER BY id DESC`.
            models.Index(fields=["action", "id"], name="audit_event_action_idx"),
            models.Index(fields=["object_type", "id"], name="audit_event_type_idx"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"

    @property
    def sealed_sequence(self) -> int | None:
        """The entry's number in the chain; None until the sealer has reached it."""
        try:
            return self.seal.sequence
        except AuditSeal.DoesNotExist:
            return None


class AuditSeal(models.Model):
    """An entry's place in the chain: numbered 1, 2, 3 … without gaps by `seal_audit_log`, with
    a keyed hash over its number, the entry's own hash and the previous link's hash."""

    sequence = models.PositiveBigIntegerField(_("sequence number"), primary_key=True)
    event = models.OneToOneField(
        AuditEvent, models.DO_NOTHING, related_name="seal", verbose_name=_("audit event")
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    chain_hash = models.CharField(_("chain hash"), max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.chain_hash}"


class AuditCheckpoint(models.Model):
    """Where the chain stood after a sealing run: its last number and hash, how many entries the
    run sealed, and when; signed with the audit key. Also written outside the database."""

    sequence = models.PositiveBigIntegerField(_("sequence number"), primary_key=True)
    chain_hash = models.CharField(_("chain hash"), max_length=64)
    count = models.PositiveBigIntegerField(_("entries sealed"))
    created_at = models.DateTimeField(_("created at"))
    mac = models.CharField(_("signature"), max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.chain_hash}"


class AuditRetentionCut(models.Model):
    """Entries removed by retention: numbers `first` to `last`, the hash of the last one (the
    chain continues from it), when, and a signature, so the rest still verifies."""

    first = models.PositiveBigIntegerField(_("first sequence number"), unique=True)
    last = models.PositiveBigIntegerField(_("last sequence number"), unique=True)
    last_hash = models.CharField(_("chain hash of the last"), max_length=64)
    removed_at = models.DateTimeField(_("removed at"))
    mac = models.CharField(_("signature"), max_length=64)

    class Meta:
        ordering = ["first"]
        verbose_name = _("audit retention cut")
        verbose_name_plural = _("audit retention cuts")

    def __str__(self) -> str:
        return f"#{self.first}–#{self.last}"


class AuditSubject(models.Model):
    """Index of `AuditEvent.subjects`: finds a person's entries without scanning the log."""

    event = models.ForeignKey(AuditEvent, models.DO_NOTHING, related_name="subject_rows")
    subject_key = models.CharField(max_length=150)

    class Meta:
        indexes = [models.Index(fields=["subject_key", "event"], name="audit_subject_key_idx")]
        verbose_name = _("audit subject")
        verbose_name_plural = _("audit subjects")

    def __str__(self) -> str:
        return self.subject_key


class AuditObject(models.Model):
    """Index of `AuditEvent.object_ids`: the privacy officer searches by object number."""

    event = models.ForeignKey(AuditEvent, models.DO_NOTHING, related_name="object_rows")
    object_id = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["object_id", "event"], name="audit_object_id_idx")]
        verbose_name = _("audit object")
        verbose_name_plural = _("audit objects")

    def __str__(self) -> str:
        return self.object_id


class AuditSealer(models.Model):
    """One row, locked (updated) by the sealer and by retention only: one of them at a time.
    `horizon` is where the next sealing run starts looking (see audit/sealing.py)."""

    horizon = models.BigIntegerField(default=0)
    locked_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("audit sealer")

    def __str__(self) -> str:
        return f"horizon {self.horizon}"


class AuditGate(models.Model):
    """Open while a row exists for the current transaction: the database triggers let audit
    rows be deleted only then (audit/gate.py). Retention opens and closes it in one transaction.
    """

    txid = models.BigIntegerField(null=True, editable=False, db_default=CurrentTransaction())

    class Meta:
        verbose_name = _("audit removal gate")

    def __str__(self) -> str:
        return f"gate {self.txid}"
