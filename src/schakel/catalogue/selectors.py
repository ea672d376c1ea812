from django.db.models import QuerySet

from .models import ExploitationForm


def exploitation_forms() -> QuerySet[ExploitationForm]:
    """Reference data, readable by everyone who may report a signal."""
    return ExploitationForm.objects.all()
