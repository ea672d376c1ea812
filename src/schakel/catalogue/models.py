from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ExploitationFormCode


class ExploitationForm(models.Model):
    """A form of exploitation; a row per code so signals, cases and indicators can refer to
    several forms and be counted per form on every database."""

    code = models.CharField(
        _("code"), max_length=16, unique=True, choices=ExploitationFormCode.choices
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("exploitation form")
        verbose_name_plural = _("exploitation forms")

    def __str__(self) -> str:
        return str(self.get_code_display())
