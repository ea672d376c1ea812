"""Who was at a meeting, and whether enough of the network was there to decide.

A case meeting approves a big decision or acknowledges a perpetrator intervention only with the
care side present: the zorgcoördinator or Veilig Thuis, invited and recorded present, plus the
municipality's quorum (by default the netwerkregisseur and one care party). A "meeting" of the
netwerkregisseur alone decides nothing (DOMAIN.md §4).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schakel.organisations.roles import Capability, roles_with

from .models import Attendance, Meeting


@dataclass(frozen=True)
class Present:
    membership_id: int
    name: str
    organisation_id: int
    organisation: str
    role: str

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


def present_at(meeting: Meeting) -> list[Present]:
    """Everyone recorded present, in the membership they attended for."""
    rows = (
        Attendance.objects.filter(meeting=meeting)
        .select_related("membership__user", "membership__organisation")
        .order_by("membership__organisation__name", "membership__user__last_name")
    )
    return [
        Present(
            membership_id=row.membership_id,
            name=row.membership.user.get_full_name() or row.membership.user.get_username(),
            organisation_id=row.membership.organisation_id,
            organisation=row.membership.organisation.name,
            role=row.membership.role,
        )
        for row in rows
    ]


def quorum_refusal(meeting: Meeting, present: list[Present] | None = None) -> str | None:
    """None when the meeting may decide; else what is missing, in words for the organiser."""
    present = present_at(meeting) if present is None else present
    municipality = meeting.municipality
    director = [p for p in present if p.role in roles_with(Capability.DIRECT)]
    care = {p.organisation_id for p in present if p.role in roles_with(Capability.CARE_SIDE)}
    others = {p.organisation_id for p in present} - care - {p.organisation_id for p in director}
    missing = []
    if not director:
        missing.append(_("the netwerkregisseur"))
    short_of_care = max(1, municipality.quorum_care_parties) - len(care)
    if short_of_care > 0:
        missing.append(
            ngettext(
                "%(count)s care party (zorgcoördinator or Veilig Thuis)",
                "%(count)s care parties (zorgcoördinator or Veilig Thuis)",
                short_of_care,
            )
            % {"count": short_of_care}
        )
    short_of_others = municipality.quorum_other_parties - len(others)
    if short_of_others > 0:
        missing.append(
            ngettext(
                "%(count)s other organisation", "%(count)s other organisations", short_of_others
            )
            % {"count": short_of_others}
        )
    if not missing:
        return None
    return _(
        "The case meeting decides this only with its quorum recorded present. Missing: %(missing)s."
    ) % {"missing": ", ".join(missing)}
