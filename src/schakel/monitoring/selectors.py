"""The figures of an area over a period, for one reader, protected by the disclosure rule.

Counts come from the owning apps' aggregate selectors (one GROUP BY each, never a loop over rows
and never a decrypted field); this module only arranges them into sections and tables."""

from __future__ import annotations

from schakel.core.context import AccessContext

from .figures import Section
from .periods import Period
from .policies import Area, figures_policy


def dashboard(context: AccessContext, area: Area, period: Period) -> list[Section]:
    """Every section of the dashboard (and of the annual report), protected for the reader."""
    figures_policy.disclosure(context.actor, area)
    return []
