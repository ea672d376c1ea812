"""Who reads and who writes a municipality's annual report: its AF roles write it and read its
figures as they are; its board viewer reads it, small counts hidden. A public report is
protected for everyone (monitoring/report.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from schakel.core.policies import Action, Actor, Policy, register
from schakel.organisations.roles import Capability, municipalities_with

from .models import AnnualReport, ReportGoal, ReportSection


def reading_municipalities(actor: Actor) -> frozenset[int]:
    return municipalities_with(actor, Capability.KEEP_FIGURES, Capability.READ_FIGURES)


def keeping_municipalities(actor: Actor) -> frozenset[int]:
    return municipalities_with(actor, Capability.KEEP_FIGURES)


class AnnualReportPolicy(Policy[AnnualReport]):
    model = AnnualReport

    def visible_to(self, actor: Actor) -> QuerySet[AnnualReport]:
        return AnnualReport.objects.filter(municipality_id__in=reading_municipalities(actor))

    def can(self, actor: Actor, action: Action, obj: AnnualReport | None = None) -> bool:
        if action in (Action.VIEW, Action.LIST):
            readers = reading_municipalities(actor)
            return bool(readers) and (obj is None or obj.municipality_id in readers)
        if action in (Action.CREATE, Action.CHANGE, Action.DELETE):
            keepers = keeping_municipalities(actor)
            return bool(keepers) and (obj is None or obj.municipality_id in keepers)
        return False


# One policy for the report and its parts (a goal or section is read and written with it).
annual_report_policy = register(AnnualReportPolicy(), ReportGoal, ReportSection)
