from .choices import ExploitationFormCode
from .models import ExploitationForm


def exploitation_forms_ensure() -> None:
    """Make sure every exploitation form exists (the migration creates them; this repairs a
    database that was flushed, e.g. between end-to-end tests)."""
    for position, code in enumerate(ExploitationFormCode.values):
        ExploitationForm.objects.update_or_create(code=code, defaults={"position": position})
