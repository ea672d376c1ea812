"""Whom a step in a case tells at once, and what the mail says (never the case's content).

Each function runs after the step's transaction committed (services call it from
`transaction.on_commit`) and finds its recipients from the case policy's `who_may` or from the
role table, so "who must know" is the same rule as "who may act".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.notify import addresses_of, notify
from schakel.organisations.choices import Role
from schakel.organisations.roles import Capability, roles_with
from schakel.organisations.selectors import memberships_holding

from .models import Case, Proposal
from .policies import CaseAction, case_policy


def _login_line() -> str:
    return _("Log in to Schakel to see it.")


def privacy_officers_of_override(*, reference: str, organisation: str) -> None:
    """Sharing without a recorded basis is never unseen."""
    officers = memberships_holding(roles=roles_with(Capability.OVERSEE_PRIVACY))
    notify(
        addresses_of(officers),
        lambda: (
            _("Case %(reference)s was shared without a recorded legal basis")
            % {"reference": reference},
            _("%(organisation)s was added to case %(reference)s by override. Check the timeline.")
            % {"organisation": organisation, "reference": reference},
        ),
    )


def new_participant(*, case_id: int, organisation_id: int, actor_user_id: int | None) -> None:
    """The staff of an organisation that now takes part in a case learn that it waits for them,
    instead of finding out when someone asks."""
    case = Case.objects.get(pk=case_id)
    staff = memberships_holding(
        roles=roles_with(Capability.WORK_CASES), organisation_ids=[organisation_id]
    )
    notify(
        addresses_of(staff, except_user=actor_user_id),
        lambda: (
            _("Your organisation takes part in case %(reference)s") % {"reference": case.reference},
            _(
                "Your organisation was added to case %(reference)s of %(municipality)s. You find "
                "it under 'Shared with me'."
            )
            % {"reference": case.reference, "municipality": case.municipality}
            + " "
            + _login_line(),
        ),
    )


def urgent_execution(*, case_id: int, actor_user_id: int | None) -> None:
    """An intervention executed before the care side acknowledged it: the care side of the case,
    Veilig Thuis of the region (taking part or not) and the netwerkregisseur are told at once."""
    case = Case.objects.select_related("municipality").get(pk=case_id)
    recipients = [
        *case_policy.who_may(CaseAction.ACKNOWLEDGE_INTERVENTION, case).select_related("user"),
        *memberships_holding(roles=[Role.VEILIG_THUIS], region_id=case.municipality.region_id),
        *case_policy.who_may(CaseAction.DECIDE_PROPOSAL, case).select_related("user"),
    ]
    notify(
        addresses_of(recipients, except_user=actor_user_id),
        lambda: (
            _("Urgent: an intervention in case %(reference)s was executed")
            % {"reference": case.reference},
            _(
                "An intervention against a perpetrator in case %(reference)s was executed before "
                "the care side could acknowledge it, because of urgent danger. Log in to see it."
            )
            % {"reference": case.reference},
        ),
    )


def involves_a_minor(case: Case) -> bool:
    """A person of the case, or of one of its signals, is under 18 as far as recorded."""
    today = timezone.localdate()
    for person in case.persons.all():
        born = _birth_year(person.date_of_birth)
        if born is not None and today.year - born < 18:
            return True
    return any(
        person.approximate_age is not None and person.approximate_age < 18
        for signal in case.signals.all()
        for person in signal.persons.all()
    )


def _birth_year(value: str) -> int | None:
    """The year of a date of birth written as 2009, 2009-05-01 or 01-05-2009."""
    digits = [part for part in value.replace("/", "-").split("-") if part.strip().isdecimal()]
    for part in digits:
        if len(part.strip()) == 4:
            year = int(part)
            if 1900 <= year <= date.today().year:
                return year
    return None


def proposal_made(*, proposal_id: int, actor_user_id: int | None) -> None:
    """A big decision waits for the case meeting: the proposer's organisation, the
    zorgcoördinator, Veilig Thuis when a minor or a high safety risk is involved, and the
    netwerkregisseur are told at once; it is in their 'Mijn acties' and on the next agenda."""
    proposal = Proposal.objects.select_related("case__municipality").get(pk=proposal_id)
    case = proposal.case
    region = case.municipality.region_id
    care_roles = [Role.ZORGCOORDINATOR]
    if case.safety_risk_high or involves_a_minor(case):
        care_roles.append(Role.VEILIG_THUIS)
    in_case = list(case.participants.values_list("organisation_id", flat=True))
    care: list[Any] = []
    for role in care_roles:
        # The one taking part in the case, or else the region's: somebody must know.
        taking_part = memberships_holding(roles=[role], organisation_ids=in_case)
        care += (
            taking_part
            if taking_part.exists()
            else memberships_holding(roles=[role], region_id=region)
        )
    proposer = memberships_holding(
        roles=roles_with(Capability.WORK_CASES),
        organisation_ids=[proposal.proposed_by_organisation_id]
        if proposal.proposed_by_organisation_id
        else [],
    )
    directors = case_policy.who_may(CaseAction.DECIDE_PROPOSAL, case).select_related("user")
    notify(
        addresses_of([*proposer, *care, *directors], except_user=actor_user_id),
        lambda: (
            _("A big decision in case %(reference)s waits for the case meeting")
            % {"reference": case.reference},
            _(
                "A partner proposes a decision in case %(reference)s that is taken in the case "
                "meeting, not alone (%(kind)s). It is in 'My actions' and on the agenda of the "
                "next case meeting."
            )
            % {"reference": case.reference, "kind": proposal.get_kind_display()}
            + " "
            + _login_line(),
        ),
    )


def referral_made(*, referral_id: int, actor_user_id: int | None) -> None:
    """The organisation a case is referred to learns that a referral waits for its answer."""
    from .models import Referral

    referral = Referral.objects.select_related("case").get(pk=referral_id)
    staff = memberships_holding(
        roles=roles_with(Capability.WORK_CASES), organisation_ids=[referral.to_organisation_id]
    )
    notify(
        addresses_of(staff, except_user=actor_user_id),
        lambda: (
            _("A referral in case %(reference)s waits for your answer")
            % {"reference": referral.case.reference},
            _("A partner refers case %(reference)s to your organisation. It is in 'My actions'.")
            % {"reference": referral.case.reference}
            + " "
            + _login_line(),
        ),
    )


def intervention_proposed(*, case_id: int, actor_user_id: int | None) -> None:
    """The care side of the case and the netwerkregisseur learn that a perpetrator intervention
    waits for acknowledgement in the case meeting (the interlock)."""
    case = Case.objects.select_related("municipality").get(pk=case_id)
    recipients = [
        *case_policy.who_may(CaseAction.ACKNOWLEDGE_INTERVENTION, case).select_related("user"),
        *case_policy.who_may(CaseAction.DECIDE_PROPOSAL, case).select_related("user"),
    ]
    notify(
        addresses_of(recipients, except_user=actor_user_id),
        lambda: (
            _("An intervention in case %(reference)s waits for the care side")
            % {"reference": case.reference},
            _(
                "A perpetrator intervention is proposed in case %(reference)s. It is executed "
                "only after the zorgcoördinator or Veilig Thuis acknowledged it in the case "
                "meeting; it is on the agenda of the next one."
            )
            % {"reference": case.reference}
            + " "
            + _login_line(),
        ),
    )
