"""What an inspection needs beyond its model, policy and services: which organisations of the
region can take part or be told beforehand, the rule of each kind of inspection for who takes
part, the checklist of findings, and the mail to those told (DOMAIN.md §4, §6, §10).

The services in `services.py` call these; the plan form offers exactly the organisations that
the same functions accept, so a choice the form offers is never refused for who it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.catalogue.cards import FormGroup, card_for, checklist_by_form, full_checklist
from schakel.catalogue.models import Indicator
from schakel.core.notify import addresses_of, notify
from schakel.organisations.choices import OrganisationKind
from schakel.organisations.models import Municipality, Organisation
from schakel.organisations.roles import Capability, roles_with
from schakel.organisations.selectors import memberships_holding

from .choices import InspectionKind, NoticeKind
from .models import Inspection
from .policies import NOTICE_ROLES, InspectionAction, inspection_policy

StrOrPromise = str | Promise

# The findings are ticked on the full checklist of the enforcement and inspection card.
CHECKLIST_CARD = "inspection"


def _with_staff_in(roles: Iterable[str], region_id: int) -> QuerySet[Organisation]:
    staffed = memberships_holding(roles=roles, region_id=region_id)
    return Organisation.objects.filter(
        region_id=region_id, is_active=True, pk__in=staffed.values("organisation")
    ).order_by("name")


def partner_organisations(region_id: int) -> QuerySet[Organisation]:
    """The organisations of the region that can take part: those with staff in a case role,
    the only ones who would see the inspection."""
    return _with_staff_in(roles_with(Capability.WORK_CASES), region_id)


def notice_organisations(kind: str, region_id: int) -> QuerySet[Organisation]:
    """The organisations of the region a notice of this kind can go to: with staff in its role
    (AVIM, zorgcoördinator)."""
    return _with_staff_in([NOTICE_ROLES[kind]], region_id)


def taking_part(
    *,
    kind: str,
    municipality: Municipality,
    planner: Organisation,
    chosen: Iterable[Organisation],
) -> list[Organisation]:
    """The planner's organisation and the chosen ones, checked against the kind of inspection."""
    chosen_ids = {organisation.pk for organisation in chosen} - {planner.pk}
    allowed = set(partner_organisations(municipality.region_id).values_list("pk", flat=True))
    if chosen_ids - allowed:
        raise ValidationError(
            _("Only organisations of the region whose staff work on cases can take part.")
        )
    organisations = [planner, *Organisation.objects.filter(pk__in=chosen_ids).order_by("name")]
    if kind == InspectionKind.ADMINISTRATIVE and any(
        organisation.municipality_id != municipality.pk for organisation in organisations
    ):
        raise ValidationError(
            _(
                "An administrative inspection is done by the municipality alone. Choose a BIT "
                "inspection to take partners along."
            )
        )
    if kind == InspectionKind.BIT and len(organisations) < 2:
        raise ValidationError(
            _("A BIT inspection is done with partners: choose at least one other organisation.")
        )
    if kind == InspectionKind.LABOUR and not any(
        organisation.kind == OrganisationKind.LABOUR_INSPECTORATE for organisation in organisations
    ):
        raise ValidationError(
            _("Choose the labour inspectorate among the organisations taking part.")
        )
    return organisations


NOTICE_CHOICE_NEEDED: dict[str, StrOrPromise] = {
    NoticeKind.AVIM_INFORMED: gettext_lazy(
        "Choose which AVIM to inform: the region has more than one."
    ),
    NoticeKind.ZC_STANDBY: gettext_lazy(
        "Choose which zorgcoördinatie to ask to stand by: the region has more than one."
    ),
}


def notices_to_send(
    *, region_id: int, chosen: Mapping[str, Organisation | None]
) -> dict[str, Organisation]:
    """Per kind of notice, the organisation it goes to: the one chosen, else the only one of the
    region. A region without one gets no notice of that kind; the inspection page says so."""
    found: dict[str, Organisation] = {}
    for kind in NoticeKind.values:
        candidates = list(notice_organisations(kind, region_id))
        pick = chosen.get(kind)
        if pick is None and len(candidates) > 1:
            raise ValidationError(str(NOTICE_CHOICE_NEEDED[kind]))
        if pick is None and candidates:
            pick = candidates[0]
        if pick is not None and pick.pk not in {c.pk for c in candidates}:
            raise ValidationError(
                _("%(notice)s: choose an organisation of the region with staff in that role.")
                % {"notice": NoticeKind(kind).label}
            )
        if pick is not None:
            found[kind] = pick
    return found


def findings_checklist() -> list[FormGroup]:
    """The checklist of findings: grouped by exploitation form and strength, without what the
    inspection card leaves out (profiling by origin, other forms and kinds)."""
    return checklist_by_form(card_for(CHECKLIST_CARD))


def checklist_indicators(codes: Iterable[str]) -> list[Indicator]:
    """The indicators ticked, all from the checklist of findings (ValidationError otherwise)."""
    wanted = set(codes)
    found = [i for i in full_checklist(card_for(CHECKLIST_CARD)) if i.code in wanted]
    if len(found) != len(wanted):
        raise ValidationError(_("Tick only indicators from the checklist of the inspection."))
    return found


def announce(*, inspection_id: int, actor_user_id: int | None) -> None:
    """After planning: the staff told beforehand (the inspection policy's who_may, so the same
    rule as who may acknowledge) learn that an inspection waits for them; never where, when or
    why, only where to look."""
    inspection = Inspection.objects.select_related("municipality").get(pk=inspection_id)
    recipients = inspection_policy.who_may(InspectionAction.ACKNOWLEDGE_NOTICE, inspection)
    for kind, role in NOTICE_ROLES.items():
        staff = recipients.filter(role=role).select_related("user")
        notify(
            addresses_of(staff, except_user=actor_user_id),
            partial(_notice_mail, kind, inspection.municipality.name),
        )


NOTICE_BODIES: dict[str, StrOrPromise] = {
    NoticeKind.AVIM_INFORMED: gettext_lazy(
        "An inspection in %(municipality)s is planned. AVIM is informed beforehand, as the local "
        "approach agrees."
    ),
    NoticeKind.ZC_STANDBY: gettext_lazy(
        "An inspection in %(municipality)s is planned. The zorgcoördinatie is asked to stand by, "
        "in case possible victims are found."
    ),
}


def _notice_mail(kind: str, municipality: str) -> tuple[str, str]:
    return (
        _("An inspection in %(municipality)s is announced to your organisation")
        % {"municipality": municipality},
        str(NOTICE_BODIES[kind]) % {"municipality": municipality}
        + " "
        + _("Log in to Schakel and acknowledge it under 'Inspections'."),
    )
