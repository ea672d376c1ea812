from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    LIST = "list", _("List")
    SEARCH = "search", _("Search")
    EXPORT = "export", _("Export")
    CREATE = "create", _("Create")
    CHANGE = "change", _("Change")
