from schakel.core.policies import register
from schakel.organisations.policies import ReferenceDataPolicy

from .models import ExploitationForm


class ExploitationFormPolicy(ReferenceDataPolicy):
    model = ExploitationForm  # type: ignore[assignment]


exploitation_form_policy = register(ExploitationFormPolicy())
