from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schakel.cases.policies import case_policy
from schakel.cases.selectors import DUE_SOON_DAYS, case_work_counts
from schakel.core.context import AccessContext
from schakel.core.navigation import MenuGroup, MenuItem, TileFigure, register_menu_item
from schakel.core.policies import Action
from schakel.meetings.selectors import rechecks_due_set

from .sources import Kind


def _figure(number: int, text: str, kind: Kind, *, urgent: bool = False) -> TileFigure:
    return TileFigure(
        number,
        text % {"count": number, "days": DUE_SOON_DAYS},
        urgent=urgent,
        url=f"{reverse('worklist:actions')}?soort={kind}",
    )


def action_figures(context: AccessContext) -> list[TileFigure]:
    """What waits in cases for the actor's organisation, counted (numbers only: the rows are
    read, and audited, when 'Mijn acties' itself is opened). The new signals are counted on the
    queue's tile."""
    counts = case_work_counts(context)
    rechecks = rechecks_due_set(context).count()
    candidates = [
        (
            counts.agreements_overdue,
            ngettext(
                "%(count)d agreement of my organisation overdue",
                "%(count)d agreements of my organisation overdue",
                counts.agreements_overdue,
            ),
            Kind.AGREEMENTS,
            True,
        ),
        (
            counts.agreements_due_soon,
            ngettext(
                "%(count)d agreement of my organisation due within %(days)d days",
                "%(count)d agreements of my organisation due within %(days)d days",
                counts.agreements_due_soon,
            ),
            Kind.AGREEMENTS,
            False,
        ),
        (
            counts.overdue_directed,
            ngettext(
                "%(count)d overdue agreement in cases I direct",
                "%(count)d overdue agreements in cases I direct",
                counts.overdue_directed,
            ),
            Kind.DIRECTED,
            True,
        ),
        (
            counts.proposals,
            ngettext(
                "%(count)d decision waiting for the case meeting",
                "%(count)d decisions waiting for the case meeting",
                counts.proposals,
            ),
            Kind.PROPOSALS,
            False,
        ),
        (
            counts.interventions,
            ngettext(
                "%(count)d intervention waiting for my acknowledgement",
                "%(count)d interventions waiting for my acknowledgement",
                counts.interventions,
            ),
            Kind.INTERVENTIONS,
            False,
        ),
        (
            counts.referrals,
            ngettext(
                "%(count)d referral waiting for my organisation's answer",
                "%(count)d referrals waiting for my organisation's answer",
                counts.referrals,
            ),
            Kind.REFERRALS,
            False,
        ),
        (
            rechecks,
            ngettext(
                "%(count)d signal to re-check in the case meeting",
                "%(count)d signals to re-check in the case meeting",
                rechecks,
            ),
            Kind.RECHECKS,
            False,
        ),
    ]
    return [
        _figure(number, text, kind, urgent=urgent)
        for number, text, kind, urgent in candidates
        if number
    ]


register_menu_item(
    MenuItem(
        _("My actions"),
        "worklist:actions",
        lambda a: case_policy.can(a, Action.LIST),
        39,
        figures=action_figures,
        group=MenuGroup.CASES,
    )
)
