from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedTextField


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class Draft(models.Model):
    """A long form saved halfway by its author, to finish later (a case's closing, a meeting's
    minutes …). It may hold personal data, so it is encrypted and only its author gets it back;
    it goes when the form is sent, when what it belongs to is closed or anonymised, and after
    SCHAKEL_RETENTION_DAYS["draft"] days (retention sweeps it). `owner` names what it belongs
    to as "app_label.Model:pk", or "" for none."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    form = models.CharField(max_length=40)
    owner = models.CharField(max_length=80, blank=True, db_index=True)
    data = EncryptedTextField()
    saved_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "form", "owner"], name="one_draft_per_form")
        ]

    def __str__(self) -> str:
        return f"{self.form} · {self.saved_at:%Y-%m-%d %H:%M}"


class RateCount(models.Model):
    """How often one identity used one rate-limited scope in one window (see core/throttle.py).
    `identity` is a keyed hash of the address, form session or user: the table names nobody.
    `window_no` numbers the fixed window (seconds since the epoch // its length)."""

    scope = models.CharField(max_length=40)
    identity = models.CharField(max_length=64)
    window_no = models.BigIntegerField(db_index=True)
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "identity", "window_no"], name="one_rate_count_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} · {self.window_no}: {self.used}"
