"""Every service, called directly, by every kind of person in the network, in every state of its
aggregate: allowed exactly where the field's rules say, refused everywhere else.

The API, the management commands and the demo loader skip the views, so the rules must hold in
the services. Each row below names the service, the aggregate it acts on, the action of that
aggregate's policy it takes, who may (keys of tests/world.py) and in which states. The table is
written out by hand from the field's rules; it is not derived from the code's own rule tables, so
it can catch them. A new service, or a new action nobody takes, fails
`test_every_service_and_every_action_has_a_row`.

Refused means PermissionDenied, NotFound (404: missing and forbidden alike) or
TransitionRefused; any other exception (a ValidationError from the test's own input, say) fails
the test, for allowed and refused calls alike: a refusal never depends on the input.
"""

from __future__ import annotations

import inspect
import pkgutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from schakel.cases import services as case_services
from schakel.cases import subjects as case_subjects
from schakel.cases.choices import CaseStatus, DecisionKind, InterventionStatus, LegalBasis
from schakel.cases.models import Case, Intervention, Proposal
from schakel.cases.policies import CaseAction
from schakel.cases.workflow import TransitionRefused
from schakel.core.context import AccessContext
from schakel.core.policies import ANONYMOUS
from schakel.inspections import services as inspection_services
from schakel.inspections.models import Inspection
from schakel.inspections.policies import InspectionAction
from schakel.intake import services as intake_services
from schakel.intake.choices import Routing
from schakel.intake.policies import SignalAction
from schakel.intake.services import PublicSignalReport, SignalReport, reporting_municipalities
from schakel.matching import services as matching_services
from schakel.matching.choices import Strength, TaskSide
from schakel.matching.models import Hit, HitTask, Lookup
from schakel.meetings import services as meeting_services
from schakel.meetings.choices import MeetingStatus, TriageDecision
from schakel.meetings.policies import MeetingAction
from schakel.organisations.choices import MeetingType

from .factories import SignalFactory
from .world import World, build_world

pytestmark = pytest.mark.django_db

SERVICE_MODULES = (
    "schakel.intake.services",
    "schakel.cases.services",
    "schakel.cases.subjects",
    "schakel.meetings.services",
    "schakel.inspections.services",
    "schakel.matching.services",
)
ACTION_ENUMS = (SignalAction, CaseAction, MeetingAction, InspectionAction)
# Reads that live beside the writes in cases/subjects.py: the privacy officer's, proven in
# tests/test_subject_access.py.
NOT_SERVICES = {"cases.case_persons_named", "cases.case_subject_record"}

ACTORS = (
    "af",
    "other_af",
    "zc",
    "vt",
    "avim",
    "iszw",
    "ovj",
    "care",
    "th",
    "basisteam",
    "school",
    "reporter",
    "board",
    "admin",
    "privacy",
    "anonymous",
)
EVERYONE = frozenset(ACTORS)
REFUSED = (PermissionDenied, Http404, TransitionRefused)

# Who stands how to the test case: the netwerkregisseur directs it; the ZC and AVIM take part
# on the covenant; a care partner takes part pseudonymised; Veilig Thuis has a referral waiting.
WORKS_ON_CASE = frozenset({"af", "zc", "avim", "care"})
SEES_NAMES = frozenset({"af", "zc", "avim"})
PERPETRATOR_SIDE = frozenset({"af", "avim"})
LOOKS_UP = frozenset(
    {"af", "other_af", "zc", "vt", "avim", "iszw", "ovj", "care", "th", "basisteam"}
)
REPORTS = frozenset(
    {"af", "other_af", "zc", "vt", "avim", "iszw", "care", "th", "basisteam", "school", "reporter"}
)
ONLY_AF = frozenset({"af"})


@dataclass(frozen=True)
class Row:
    aggregate: str  # "case", "signal", "meeting", or "" for services that create or stand alone
    action: Any  # the policy action the service takes (None for coarse or other policies)
    who: frozenset[str]
    states: frozenset[str] | None  # None: in every state
    call: Callable[[World, AccessContext, dict[str, Any]], Any]


OPEN = frozenset({CaseStatus.OPEN})
HANDLED = frozenset({"new", "in_progress", "routed"})
LOOKED_INTO = frozenset({"in_progress", "routed"})
PLANNED_OR_HELD = frozenset({"planned", "held"})
HELD = frozenset({"held"})
PLANNED = frozenset({"planned"})


def report_for(world: World, ctx: AccessContext) -> SignalReport:
    organisation_id = ctx.actor.organisation_id or world.orgs["municipality"].pk
    from schakel.organisations.models import Organisation

    organisation = Organisation.objects.get(pk=organisation_id)
    return SignalReport(
        organisation_id=organisation_id,
        role=ctx.actor.role or "",
        municipality_id=reporting_municipalities(organisation)[0].pk,
        description="Drie mensen slapen in de loods achter de garage.",
        place="Industrieweg 4",
        exploitation_form_codes=("labour",),
        observed_on=timezone.localdate(),
        submission_token=uuid.uuid4(),
    )


def public_report(world: World) -> PublicSignalReport:
    return PublicSignalReport(
        municipality_id=world.municipality.pk,
        sector="",
        description="In het pand brandt de hele nacht licht en er komen steeds busjes.",
        place="Industrieweg 4",
        exploitation_form_codes=("unknown",),
        observed_on=timezone.localdate(),
        submission_token=uuid.uuid4(),
    )


def person(**extra: Any) -> matching_services.Person:
    return matching_services.Person(given_names="Ilona", surname="Varga", **extra)


S, C, M, INSP = intake_services, case_services, meeting_services, inspection_services
ROWS: dict[str, Row] = {
    # --- Signals ---------------------------------------------------------------------------
    "intake.signal_report": Row(
        "", None, REPORTS, None, lambda w, c, f: S.signal_report(context=c, report=report_for(w, c))
    ),
    "intake.signal_report_public": Row(
        "",
        None,
        EVERYONE,
        None,
        lambda w, c, f: S.signal_report_public(context=c, report=public_report(w)),
    ),
    "intake.signal_pick_up": Row(
        "signal",
        SignalAction.PICK_UP,
        ONLY_AF,
        frozenset({"new"}),
        lambda w, c, f: S.signal_pick_up(context=c, signal=f["signal"]),
    ),
    "intake.signal_enrich": Row(
        "signal",
        SignalAction.ENRICH,
        ONLY_AF,
        HANDLED,
        lambda w, c, f: S.signal_enrich(
            context=c, signal=f["signal"], kind="address", text="Adres eerder gecontroleerd"
        ),
    ),
    "intake.signal_add_indicators": Row(
        "signal",
        SignalAction.ENRICH,
        ONLY_AF,
        HANDLED,
        lambda w, c, f: S.signal_add_indicators(
            context=c, signal=f["signal"], indicator_codes=("physical-injury",)
        ),
    ),
    "intake.signal_link": Row(
        "signal",
        SignalAction.LINK,
        ONLY_AF,
        HANDLED,
        lambda w, c, f: S.signal_link(
            context=c,
            signal=f["signal"],
            other=f["other_signal"],
            basis="same_premises",
            reason="Zelfde pand",
        ),
    ),
    "intake.signal_route": Row(
        "signal",
        SignalAction.ROUTE,
        ONLY_AF,
        frozenset({"new", "in_progress"}),
        lambda w, c, f: S.signal_route(
            context=c, signal=f["signal"], destination=Routing.CASE_MEETING, reason="Voor het VCO"
        ),
    ),
    "intake.signal_record_triage": Row(
        "signal",
        SignalAction.RECORD_TRIAGE,
        ONLY_AF,
        frozenset({"routed"}),
        lambda w, c, f: S.signal_record_triage(
            context=c, signal=f["signal"], decision="care", meeting=1
        ),
    ),
    "intake.signal_give_feedback": Row(
        "signal",
        SignalAction.GIVE_FEEDBACK,
        ONLY_AF,
        LOOKED_INTO,
        lambda w, c, f: S.signal_give_feedback(
            context=c, signal=f["signal"], feedback="Dank u wel, we hebben het opgepakt."
        ),
    ),
    "intake.signal_close": Row(
        "signal",
        SignalAction.CLOSE,
        ONLY_AF,
        LOOKED_INTO,
        lambda w, c, f: S.signal_close(context=c, signal=f["signal"], reason="handed_over"),
    ),
    "intake.signal_person_correct": Row(
        "signal",
        None,
        frozenset({"privacy"}),
        None,
        lambda w, c, f: S.signal_person_correct(
            context=c,
            person=f["signal"].persons.first(),
            changes={"nationality": "Hongaars"},
            reason="Verzoek van de betrokkene",
        ),
    ),
    # --- Cases -----------------------------------------------------------------------------
    "cases.case_open": Row(
        "", None, ONLY_AF, None, lambda w, c, f: C.case_open(context=c, signals=[w.signal])
    ),
    "cases.case_update": Row(
        "case",
        CaseAction.UPDATE,
        ONLY_AF,
        OPEN,
        lambda w, c, f: C.case_update(
            context=c,
            case=f["case"],
            version=f["case"].version,
            summary="Arbeidsuitbuiting vermoed",
            exploitation_forms=[],
            safety_risk_high=False,
        ),
    ),
    "cases.case_add_participant": Row(
        "case",
        CaseAction.SHARE,
        ONLY_AF,
        OPEN,
        lambda w, c, f: C.case_add_participant(
            context=c,
            case=f["case"],
            organisation=w.orgs["iszw"],
            legal_basis=LegalBasis.COVENANT,
            justification="Arbeidsuitbuiting",
        ),
    ),
    "cases.case_reveal_personal_data": Row(
        "case",
        CaseAction.REVEAL,
        ONLY_AF,
        OPEN,
        lambda w, c, f: C.case_reveal_personal_data(
            context=c,
            participant=f["care_participant"],
            legal_basis=LegalBasis.CONSENT,
            justification="Toestemming van de betrokkene",
        ),
    ),
    "cases.case_remove_participant": Row(
        "case",
        CaseAction.UNSHARE,
        ONLY_AF,
        OPEN,
        lambda w, c, f: C.case_remove_participant(
            context=c, participant=f["care_participant"], reason="Niet meer nodig"
        ),
    ),
    "cases.case_set_direction": Row(
        "case",
        CaseAction.SET_DIRECTION,
        ONLY_AF,
        OPEN,
        lambda w, c, f: C.case_set_direction(
            context=c, case=f["case"], holder="veilig_thuis", reason="Hoog veiligheidsrisico"
        ),
    ),
    "cases.case_person_add": Row(
        "case",
        CaseAction.ADD_PERSON,
        SEES_NAMES,
        OPEN,
        lambda w, c, f: C.case_person_add(
            context=c, case=f["case"], role="victim", name="Nieuwe Persoon"
        ),
    ),
    "cases.timeline_post": Row(
        "case",
        CaseAction.POST,
        WORKS_ON_CASE,
        OPEN,
        lambda w, c, f: C.timeline_post(
            context=c, case=f["case"], kind="contact", text="Gesprek gevoerd"
        ),
    ),
    "cases.timeline_record": Row(
        "case",
        CaseAction.POST,
        WORKS_ON_CASE,
        OPEN,
        lambda w, c, f: C.timeline_record(
            context=c,
            case=f["case"],
            kind="inspection",
            parameters={"step": "planned", "planned_for": "2026-12-01"},
            text="Loods",
        ),
    ),
    "cases.proposal_create": Row(
        "case",
        CaseAction.PROPOSE_DECISION,
        WORKS_ON_CASE,
        OPEN,
        lambda w, c, f: C.proposal_create(
            context=c, case=f["case"], kind=DecisionKind.END_SHELTER, text="Opvang stopt"
        ),
    ),
    "cases.proposal_decide": Row(
        "case",
        CaseAction.DECIDE_PROPOSAL,
        ONLY_AF,
        OPEN,
        lambda w, c, f: C.proposal_decide(
            context=c,
            proposal=f["proposal"],
            approve=True,
            meeting=f["meeting"],
            meeting_note="Akkoord in het casusoverleg",
        ),
    ),
    "cases.agreement_make": Row(
        "case",
        CaseAction.MAKE_AGREEMENT,
        WORKS_ON_CASE,
        OPEN,
        lambda w, c, f: C.agreement_make(
            context=c,
            case=f["case"],
            text="Intake plannen",
            owner=w.orgs["zc"],
            due_on=timezone.localdate(),
        ),
    ),
    "cases.agreement_settle": Row(
        "case",
        CaseAction.SETTLE_AGREEMENT,
        frozenset({"af", "zc"}),
        OPEN,
        lambda w, c, f: C.agreement_settle(context=c, agreement=f["agreement"], status="done"),
    ),
    "cases.referral_make": Row(
        "case",
        CaseAction.REFER,
        WORKS_ON_CASE,
        OPEN,
        lambda w, c, f: C.referral_make(
            context=c, case=f["case"], to_organisation=w.orgs["iszw"], reason="Arbeidsuitbuiting"
        ),
    ),
    "cases.referral_answer": Row(
        "case",
        CaseAction.ANSWER_REFERRAL,
        frozenset({"vt"}),
        OPEN,
        lambda w, c, f: C.referral_answer(context=c, referral=f["referral"], accept=True),
    ),
    "cases.referral_revoke": Row(
        "case",
        CaseAction.REVOKE_REFERRAL,
        frozenset({"af", "zc"}),
        OPEN,
        lambda w, c, f: C.referral_revoke(context=c, referral=f["referral"], reason="Toch niet"),
    ),
    "cases.intervention_propose": Row(
        "case",
        CaseAction.PROPOSE_INTERVENTION,
        PERPETRATOR_SIDE,
        OPEN,
        lambda w, c, f: C.intervention_propose(
            context=c, case=f["case"], kind="bibob", description="Bibob-onderzoek"
        ),
    ),
    "cases.intervention_acknowledge": Row(
        "case",
        CaseAction.ACKNOWLEDGE_INTERVENTION,
        frozenset({"zc"}),
        OPEN,
        lambda w, c, f: C.intervention_acknowledge(
            context=c, intervention=f["proposed"], meeting=f["meeting"]
        ),
    ),
    "cases.intervention_execute": Row(
        "case",
        CaseAction.EXECUTE_INTERVENTION,
        PERPETRATOR_SIDE,
        OPEN,
        lambda w, c, f: C.intervention_execute(context=c, intervention=f["acknowledged"]),
    ),
    "cases.intervention_record_outcome": Row(
        "case",
        CaseAction.RECORD_OUTCOME,
        PERPETRATOR_SIDE,
        OPEN,
        lambda w, c, f: C.intervention_record_outcome(
            context=c, intervention=f["executed"], outcome="Pand gesloten"
        ),
    ),
    "cases.person_record_outcomes": Row(
        "case",
        CaseAction.RECORD_OUTCOME,
        PERPETRATOR_SIDE,
        OPEN,
        lambda w, c, f: C.person_record_outcomes(
            context=c,
            case=f["case"],
            person_id=f["case"].persons.order_by("pk").first().pk,
            outcomes={"none"},
        ),
    ),
    "cases.intervention_withdraw": Row(
        "case",
        CaseAction.WITHDRAW_INTERVENTION,
        PERPETRATOR_SIDE,
        OPEN,
        lambda w, c, f: C.intervention_withdraw(
            context=c, intervention=f["proposed"], reason="Niet meer nodig"
        ),
    ),
    "cases.case_close": Row(
        "case",
        CaseAction.CLOSE,
        ONLY_AF,
        OPEN,
        lambda w, c, f: C.case_close(
            context=c,
            case=f["ready_to_close"](),
            summary="Afgerond",
            outcomes={p.pk: "none" for p in f["case"].persons.all()},
            feedback="Dank voor uw melding; er is gehandeld.",
        ),
    ),
    "cases.draft_save": Row(
        "case",
        CaseAction.POST,
        WORKS_ON_CASE,
        OPEN,
        lambda w, c, f: C.draft_save(
            context=c, form="timeline", data={"text": "x"}, case=f["case"]
        ),
    ),
    "cases.draft_discard": Row(  # only ever one's own draft
        "case",
        None,
        EVERYONE,
        None,
        lambda w, c, f: C.draft_discard(context=c, form="timeline", case=f["case"]),
    ),
    "inspections.inspection_plan": Row(  # in the planner's own municipality
        "",
        None,
        frozenset({"af", "other_af", "th"}),
        None,
        lambda w, c, f: INSP.inspection_plan(
            context=c,
            kind="bit",
            planned_for=timezone.now() + timedelta(hours=1),
            premises="Loods Industrieweg 4",
            purpose="Controle op huisvesting",
            participants=[w.orgs["iszw"]],
        ),
    ),
    "inspections.inspection_acknowledge_notice": Row(
        "inspection",
        InspectionAction.ACKNOWLEDGE_NOTICE,
        frozenset({"avim", "zc"}),
        PLANNED,
        lambda w, c, f: INSP.inspection_acknowledge_notice(context=c, inspection=f["inspection"]),
    ),
    "inspections.inspection_record_findings": Row(
        "inspection",
        InspectionAction.RECORD_FINDINGS,
        frozenset({"af", "th"}),
        PLANNED,
        lambda w, c, f: INSP.inspection_record_findings(
            context=c,
            inspection=f["inspection"],
            indicator_codes=[],
            findings="Matrassen in de loods",
        ),
    ),
    "inspections.inspection_evaluate": Row(
        "inspection",
        InspectionAction.EVALUATE,
        frozenset({"af", "th"}),
        frozenset({"held"}),
        lambda w, c, f: INSP.inspection_evaluate(
            context=c, inspection=f["inspection"], evaluation="Goed verlopen"
        ),
    ),
    "cases.case_person_correct": Row(  # subject access: also on a closed case
        "case",
        None,
        frozenset({"privacy"}),
        None,
        lambda w, c, f: case_subjects.case_person_correct(
            context=c,
            person=f["case"].persons.get(role="victim"),
            changes={"nationality": "Hongaars"},
            reason="Verzoek van de betrokkene",
        ),
    ),
    # --- Meetings --------------------------------------------------------------------------
    "meetings.meeting_plan": Row(
        "",
        None,
        ONLY_AF,
        None,
        lambda w, c, f: M.meeting_plan(
            context=c,
            municipality=w.municipality,
            meeting_type=MeetingType.CASE_MEETING,
            scheduled_for=timezone.now() + timedelta(days=7),
            invited=[w.orgs["zc"]],
        ),
    ),
    "meetings.meeting_build_agenda": Row(
        "meeting",
        MeetingAction.EDIT_AGENDA,
        ONLY_AF,
        PLANNED_OR_HELD,
        lambda w, c, f: M.meeting_build_agenda(context=c, meeting=f["meeting"]),
    ),
    "meetings.agenda_add_topic": Row(
        "meeting",
        MeetingAction.EDIT_AGENDA,
        ONLY_AF,
        PLANNED_OR_HELD,
        lambda w, c, f: M.agenda_add_topic(context=c, meeting=f["meeting"], topic="Trends"),
    ),
    "meetings.meeting_open_minutes": Row(
        "meeting",
        MeetingAction.HOLD,
        ONLY_AF,
        frozenset({"planned"}),
        lambda w, c, f: M.meeting_open_minutes(context=c, meeting=f["meeting"]),
    ),
    "meetings.meeting_record_attendance": Row(
        "meeting",
        MeetingAction.RECORD_ATTENDANCE,
        ONLY_AF,
        HELD,
        lambda w, c, f: M.meeting_record_attendance(
            context=c, meeting=f["meeting"], present=[w.users["zc"].memberships.get()]
        ),
    ),
    "meetings.item_record_minutes": Row(
        "meeting",
        MeetingAction.RECORD_MINUTES,
        ONLY_AF,
        HELD,
        lambda w, c, f: M.item_record_minutes(
            context=c,
            item=f["case_item"],
            discussion="Besproken",
            decisions="Afspraken gemaakt",
            version=f["meeting"].version,
        ),
    ),
    "meetings.minutes_draft_save": Row(
        "meeting",
        MeetingAction.RECORD_MINUTES,
        ONLY_AF,
        HELD,
        lambda w, c, f: M.minutes_draft_save(
            context=c, item=f["case_item"], data={"discussion": "Half af"}
        ),
    ),
    "meetings.triage_decide": Row(
        "meeting",
        MeetingAction.TRIAGE,
        ONLY_AF,
        HELD,
        lambda w, c, f: M.triage_decide(
            context=c, item=f["signal_item"], decision=TriageDecision.NOT_TRAFFICKING
        ),
    ),
    "meetings.meeting_finalise": Row(
        "meeting",
        MeetingAction.FINALISE,
        ONLY_AF,
        HELD,
        lambda w, c, f: M.meeting_finalise(context=c, meeting=f["meeting"]),
    ),
    "meetings.meeting_plan_follow_up": Row(
        "meeting",
        MeetingAction.PLAN_FOLLOW_UP,
        ONLY_AF,
        None,
        lambda w, c, f: M.meeting_plan_follow_up(
            context=c, meeting=f["meeting"], scheduled_for=timezone.now() + timedelta(days=14)
        ),
    ),
    # --- Hit/no-hit ------------------------------------------------------------------------
    "matching.involvement_register": Row(
        "",
        None,
        LOOKS_UP,
        None,
        lambda w, c, f: matching_services.involvement_register(
            context=c, person=person(), contact_person="Meldpunt"
        ),
    ),
    "matching.case_register_involvements": Row(
        "case",
        CaseAction.SEE_PERSONS,
        SEES_NAMES | {"privacy"},
        None,
        lambda w, c, f: matching_services.case_register_involvements(context=c, case=f["case"]),
    ),
    "matching.involvement_end": Row(
        "",
        None,
        ONLY_AF,
        None,
        lambda w, c, f: matching_services.involvement_end(
            context=c, involvement=f["involvement"], confirmed=True
        ),
    ),
    "matching.involvement_lookup": Row(
        "",
        None,
        LOOKS_UP,
        None,
        lambda w, c, f: matching_services.involvement_lookup(
            c, given_names="Ilona", surname="Varga"
        ),
    ),
    "matching.hit_decide": Row(
        "",
        None,
        ONLY_AF,
        None,
        lambda w, c, f: matching_services.hit_decide(context=c, hit=f["hit"], confirm=True),
    ),
    "matching.hit_task_update": Row(
        "",
        None,
        frozenset({"zc"}),
        None,
        lambda w, c, f: matching_services.hit_task_update(
            context=c, task=f["task"], status="contact_made"
        ),
    ),
}

STATES = {
    "signal": ("new", "in_progress", "routed", "closed"),
    "case": ("open", "closed"),
    "meeting": ("planned", "held", "closed"),
    "inspection": ("planned", "held", "evaluated"),
    "": ("-",),
}


def services_in_the_code() -> set[str]:
    found = set()
    for name in SERVICE_MODULES:
        package = import_module(name)
        modules = [package] + [
            import_module(info.name)
            for info in pkgutil.iter_modules(getattr(package, "__path__", []), f"{name}.")
        ]
        for attr, value in [item for module in modules for item in vars(module).items()]:
            if (
                inspect.isfunction(value)
                and value.__module__.startswith(name)
                and not attr.startswith("_")
                and "context" in inspect.signature(value).parameters
            ):
                found.add(f"{name.split('.')[1]}.{attr}")
    return found


def test_every_service_and_every_action_has_a_row():
    found = services_in_the_code() - NOT_SERVICES
    assert found == set(ROWS), "add the service to ROWS: who may, in which state"
    taken = {row.action for row in ROWS.values() if row.action is not None}
    untaken = [a for enum in ACTION_ENUMS for a in enum if a not in taken]
    # Reading the aggregate itself is proven by the selectors' tests and the authorization
    # matrix; every other action must be taken by some service.
    assert set(untaken) <= {
        SignalAction.VIEW,
        CaseAction.VIEW,
        CaseAction.SHARE_OVERRIDE,
        MeetingAction.VIEW,
        MeetingAction.SEE_PERSONAL_DATA,
        MeetingAction.DECIDE_PROPOSAL,
        MeetingAction.ACKNOWLEDGE_INTERVENTION,
        InspectionAction.VIEW,
        InspectionAction.SEE_FINDINGS,
    }, untaken


# --- The world in each state --------------------------------------------------------------------


def signal_fixtures(world: World, state: str) -> dict[str, Any]:
    signal = SignalFactory(
        municipality=world.municipality,
        status=state,
        routing=Routing.CASE_MEETING if state in ("routed", "closed") else "",
        feedback_at=timezone.now() if state != "new" else None,
        reporter=world.users["reporter"],
        reporter_organisation=world.orgs["municipality"],
    )
    signal.persons.create(role="victim", name="Ilona", name_index="x")
    return {"signal": signal, "other_signal": SignalFactory(municipality=world.municipality)}


def case_fixtures(world: World, state: str) -> dict[str, Any]:
    case = world.open_case(share=("zc", "avim"))
    af, zc, avim = world.context("af"), world.context("zc"), world.context("avim")
    care_participant = case_services.case_add_participant(
        context=af,
        case=case,
        organisation=world.orgs["care"],
        legal_basis=LegalBasis.PSEUDONYMS_ONLY,
        justification="Begeleidt het slachtoffer",
    )
    agreement = case_services.agreement_make(
        context=af, case=case, text="Intake", owner=world.orgs["zc"], due_on=timezone.localdate()
    )
    referral = case_services.referral_make(
        context=zc, case=case, to_organisation=world.orgs["vt"], reason="Veiligheid inschatten"
    )
    interventions = {}
    for name, status in (
        ("proposed", InterventionStatus.PROPOSED),
        ("acknowledged", InterventionStatus.ACKNOWLEDGED),
        ("executed", InterventionStatus.EXECUTED),
    ):
        intervention = case_services.intervention_propose(
            context=avim, case=case, kind="closure", description=name
        )
        Intervention.objects.filter(pk=intervention.pk).update(status=status)
        intervention.refresh_from_db()
        interventions[name] = intervention
    proposal = case_services.proposal_create(
        context=avim, case=case, kind=DecisionKind.MOVE_VICTIM, text="Verhuizen"
    )
    meeting = world.case_meeting(present=("af", "zc", "vt"), cases=[case])

    def ready_to_close() -> Case:
        Proposal.objects.filter(case=case).update(status="rejected")
        Intervention.objects.filter(case=case, status=InterventionStatus.EXECUTED).update(
            status=InterventionStatus.OUTCOME
        )
        return case

    if state == "closed":
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
        case.refresh_from_db()
    return {
        "case": case,
        "care_participant": care_participant,
        "agreement": agreement,
        "referral": referral,
        "proposal": proposal,
        "meeting": meeting,
        "ready_to_close": ready_to_close,
        **interventions,
    }


def meeting_fixtures(world: World, state: str) -> dict[str, Any]:
    case = world.open_case(share=("zc",))
    meeting = world.case_meeting(
        status=MeetingStatus.PLANNED if state == "planned" else MeetingStatus.HELD,
        present=() if state == "planned" else ("af", "zc"),
        cases=[case],
    )
    from schakel.meetings.models import AgendaItem, Meeting

    signal_item = AgendaItem.objects.create(meeting=meeting, position=2, signal=world.signal)
    if state == "closed":
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CLOSED)
        meeting.refresh_from_db()
    return {
        "meeting": meeting,
        "case_item": meeting.agenda.get(case=case),
        "signal_item": signal_item,
    }


def standalone_fixtures(world: World) -> dict[str, Any]:
    case = world.open_case(share=("zc", "avim"))
    involvement = matching_services.involvement_register(
        context=world.context("af"), person=person(), contact_person="Meldpunt"
    )
    held_by_zc = matching_services.involvement_register(
        context=world.context("zc"), person=person(), contact_person="Zorgcoördinatie"
    )
    lookup = Lookup.objects.create(organisation=world.orgs["municipality"], user=world.users["af"])
    hit = Hit.objects.create(lookup=lookup, involvement=held_by_zc, strength=Strength.STRONG)
    confirmed = Hit.objects.create(
        lookup=lookup, involvement=held_by_zc, strength=Strength.STRONG, status="confirmed"
    )
    task = HitTask.objects.create(
        hit=confirmed,
        involvement=held_by_zc,
        organisation=world.orgs["zc"],
        counterpart=world.orgs["municipality"],
        side=TaskSide.HOLDER,
    )
    return {"case": case, "involvement": involvement, "hit": hit, "task": task}


def inspection_fixtures(world: World, state: str) -> dict[str, Any]:
    """A BIT inspection planned for now with the labour inspectorate; AVIM and the
    zorgcoördinatie of the region are told by notices."""
    inspection = inspection_services.inspection_plan(
        context=world.context("af"),
        kind="bit",
        planned_for=timezone.now(),
        premises="Loods Industrieweg 4",
        purpose="Controle op huisvesting",
        participants=[world.orgs["iszw"]],
    )
    if state != "planned":
        Inspection.objects.filter(pk=inspection.pk).update(status=state, held_at=timezone.now())
        inspection.refresh_from_db()
    return {"inspection": inspection}


def fixtures_for(world: World, aggregate: str, state: str) -> dict[str, Any]:
    if aggregate == "signal":
        return signal_fixtures(world, state)
    if aggregate == "case":
        return case_fixtures(world, state)
    if aggregate == "meeting":
        return meeting_fixtures(world, state)
    if aggregate == "inspection":
        return inspection_fixtures(world, state)
    return standalone_fixtures(world)


class Rollback(Exception):
    """Undo the call, so the next actor meets the same world."""


def outcome(row: Row, world: World, actor: str, fixtures: dict[str, Any]) -> str:
    context = (
        AccessContext(actor=ANONYMOUS, access_point="test")
        if actor == "anonymous"
        else world.context(actor)
    )
    try:
        with transaction.atomic():
            row.call(world, context, fixtures)
            raise Rollback
    except Rollback:
        return "allowed"
    except REFUSED:
        return "refused"


def cases() -> list[tuple[str, str]]:
    return [(name, state) for name, row in ROWS.items() for state in STATES[row.aggregate]]


@pytest.mark.parametrize(("service", "state"), cases(), ids=[f"{n}-{s}" for n, s in cases()])
def test_each_service_is_allowed_exactly_for_whom_and_when_the_rules_say(service, state):
    row = ROWS[service]
    world = build_world()
    fixtures = fixtures_for(world, row.aggregate, state)
    in_state = row.states is None or state in row.states
    wrong = []
    for actor in ACTORS:
        expected = "allowed" if actor in row.who and in_state else "refused"
        got = outcome(row, world, actor, fixtures)
        if got != expected:
            wrong.append(f"{actor}: {got}, expected {expected}")
    assert wrong == [], f"{service} in state {state}"


def test_the_matrix_is_not_vacuous():
    """Every row allows somebody somewhere and refuses somebody somewhere."""
    for name, row in ROWS.items():
        assert row.who, name
        assert row.who != EVERYONE or name in (
            "intake.signal_report_public",
            "cases.draft_discard",
        ), name
