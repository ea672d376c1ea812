"""How an inspection's step reads on the case's timeline (cases.events), registered by this app
because it knows its notices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from schakel.cases.choices import CaseEventKind
from schakel.cases.events import case_events, day
from schakel.core.events import Names, label

from .choices import NoticeKind


@case_events.register(
    CaseEventKind.INSPECTION,
    example={"inspection": 1, "step": "findings", "unacknowledged": ["avim_informed"]},
)
def _inspection(parameters: Mapping[str, Any], names: Names) -> str:
    step = parameters.get("step")
    if step == "planned":
        said = _("planned for %(date)s") % {"date": day(parameters.get("planned_for"))}
    elif step == "notice_acknowledged":
        said = _("%(notice)s: acknowledged") % {
            "notice": label(NoticeKind, parameters.get("notice"))
        }
    elif step == "findings":
        said = _("findings recorded")
    elif step == "evaluated":
        said = _("evaluated")
    else:
        said = _("(unknown)")
    missing = parameters.get("unacknowledged")
    if isinstance(missing, list) and missing:
        said += " · " + _("not acknowledged beforehand: %(notices)s") % {
            "notices": ", ".join(label(NoticeKind, kind) for kind in missing)
        }
    return said
