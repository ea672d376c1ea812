"""What every state machine shares: the refusal, and the check against a transition table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _


class TransitionRefused(Exception):
    """The move is not in the table, or a guard refuses it; the message says why."""


def check(table: Mapping[Any, frozenset[Any]], source: str, target: str) -> None:
    if target not in table[source]:
        raise TransitionRefused(
            _("This step is not possible from '%(source)s' to '%(target)s'.")
            % {"source": source, "target": target}
        )
