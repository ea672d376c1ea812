"""The two rules the study draws from real failures (DOMAIN.md §4): a perpetrator intervention
waits for the care side, and big decisions wait for the case meeting. Plus sharing a case only
with a recorded basis."""

import itertools
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from schakel.cases import services
from schakel.cases.choices import CaseStatus, InterventionStatus, LegalBasis, ProposalStatus
from schakel.cases.models import Case, Intervention
from schakel.cases.policies import CaseAction, case_policy
from schakel.cases.workflow import (
    CASE_TRANSITIONS,
    INTERVENTION_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    TransitionRefused,
    check,
)
from schakel.core.policies import actor_for
from schakel.meetings.choices import MeetingStatus
from schakel.meetings.models import Meeting
from schakel.organisations.choices import MeetingType, OrganisationKind, Role
from schakel.organisations.services import covenant_ensure

from .conftest import context_for, mailed
from .factories import OrganisationFactory, SignalFactory, case_meeting, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(municipality, af_oov):
    region = municipality.region
    zc_org = OrganisationFactory(
        regional=True, region=region, kind=OrganisationKind.CARE_COORDINATION, name="ZC"
    )
    vt_org = OrganisationFactory(
        regional=True, region=region, kind=OrganisationKind.VEILIG_THUIS, name="VT"
    )
    avim_org = OrganisationFactory(regional=True, region=region, name="AVIM")
    outsider_org = OrganisationFactory(regional=True, region=region, name="Buiten convenant")
    af_org = af_oov.memberships.get().organisation
    covenant_ensure(
        name="Convenant slachtoffers",
        region=region,
        legal_basis="art. 4",
        valid_from=date(2024, 1, 1),
        parties=[af_org, zc_org, vt_org, avim_org],
        meeting_types=[MeetingType.CASE_MEETING],
    )
    zc = user_with_role(Role.ZORGCOORDINATOR, organisation=zc_org)
    zc.email = "zc@example.test"
    zc.save()
    vt = user_with_role(Role.VEILIG_THUIS, organisation=vt_org)
    vt.email = "vt@example.test"
    vt.save()
    avim = user_with_role(Role.AVIM, organisation=avim_org)
    case = services.case_open(
        context=context_for(af_oov),
        signals=[SignalFactory(municipality=municipality)],
    )
    for organisation in (zc_org, vt_org, avim_org):
        services.case_add_participant(
            context=context_for(af_oov),
            case=case,
            organisation=organisation,
            legal_basis=LegalBasis.COVENANT,
            justification="VCO",
        )
    vco = case_meeting(
        organiser=af_oov,
        invited=[zc_org, vt_org, avim_org],
        present=[af_oov, zc, vt, avim],
        cases=[case],
    )
    return {
        "case": case,
        "zc": zc,
        "vt": vt,
        "avim": avim,
        "outsider_org": outsider_org,
        "vco": vco,
    }


@pytest.mark.parametrize(
    "table", [CASE_TRANSITIONS, INTERVENTION_TRANSITIONS, PROPOSAL_TRANSITIONS]
)
def test_every_transition_table_allows_exactly_what_it_lists(table):
    for source, target in itertools.product(table, table):
        if target in table[source]:
            check(table, source, target)
        else:
            with pytest.raises(TransitionRefused):
                check(table, source, target)


def test_intervention_cannot_execute_before_care_acknowledges(network):
    avim_context = context_for(network["avim"])
    intervention = services.intervention_propose(
        context=avim_context, case=network["case"], kind="closure", description="Sluiting pand"
    )
    with pytest.raises(TransitionRefused):
        services.intervention_execute(context=avim_context, intervention=intervention)
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.PROPOSED


def test_only_the_care_side_acknowledges_an_intervention(network, af_oov):
    intervention = services.intervention_propose(
        context=context_for(network["avim"]), case=network["case"], kind="bibob", description="x"
    )
    for not_care in (network["avim"], af_oov):
        with pytest.raises(PermissionDenied):
            services.intervention_acknowledge(
                context=context_for(not_care), intervention=intervention, meeting=network["vco"]
            )
    services.intervention_acknowledge(
        context=context_for(network["zc"]), intervention=intervention, meeting=network["vco"]
    )
    services.intervention_execute(context=context_for(network["avim"]), intervention=intervention)
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.EXECUTED
    assert intervention.acknowledged_by == network["zc"]


def test_urgent_danger_override_executes_and_tells_zc_and_vt_at_once(
    network, django_capture_on_commit_callbacks
):
    intervention = services.intervention_propose(
        context=context_for(network["avim"]), case=network["case"], kind="closure", description="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.intervention_execute(
            context=context_for(network["avim"]),
            intervention=intervention,
            urgent_reason="Acuut gevaar voor bewoners",
        )
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.EXECUTED
    assert intervention.urgent_override_reason == "Acuut gevaar voor bewoners"
    assert {"vt@example.test", "zc@example.test"} <= mailed("Spoed")
    assert network["case"].timeline.filter(kind="intervention_executed").exists()


def test_a_big_decision_waits_for_the_case_meeting(network, af_oov):
    proposal = services.proposal_create(
        context=context_for(network["avim"]),
        case=network["case"],
        kind="withdraw_report",
        text="Aangifte intrekken?",
    )
    assert proposal.status == ProposalStatus.PENDING
    with pytest.raises(PermissionDenied):  # a partner cannot decide alone
        services.proposal_decide(
            context=context_for(network["avim"]),
            proposal=proposal,
            approve=True,
            meeting=network["vco"],
            meeting_note="x",
        )
    with pytest.raises(TransitionRefused):  # nor close the case around it
        services.case_close(context=context_for(af_oov), case=network["case"], summary="klaar")
    services.proposal_decide(
        context=context_for(af_oov),
        proposal=proposal,
        approve=False,
        meeting=network["vco"],
        meeting_note="VCO: niet doen",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    services.case_close(context=context_for(af_oov), case=network["case"], summary="klaar")
    assert Case.objects.get().status == CaseStatus.CLOSED


def test_sharing_needs_a_basis_and_a_reason(network, af_oov):
    context = context_for(af_oov)
    with pytest.raises(ValidationError):
        services.case_add_participant(
            context=context,
            case=network["case"],
            organisation=network["outsider_org"],
            legal_basis=LegalBasis.COVENANT,
            justification="Zij kennen de persoon",
        )
    with pytest.raises(ValidationError):
        services.case_add_participant(
            context=context,
            case=network["case"],
            organisation=network["outsider_org"],
            legal_basis=LegalBasis.CONSENT,
            justification="  ",
        )


def test_an_override_is_on_the_timeline_and_tells_the_privacy_officer(
    network, af_oov, municipality, django_capture_on_commit_callbacks
):
    officer = user_with_role(Role.PRIVACY_OFFICER, municipality=municipality)
    officer.email = "fg@example.test"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_add_participant(
            context=context_for(af_oov),
            case=network["case"],
            organisation=network["outsider_org"],
            legal_basis=LegalBasis.OVERRIDE,
            justification="Spoed: opvang nodig vannacht",
        )
    assert mail.outbox[-1].to == ["fg@example.test"]
    assert network["case"].timeline.filter(kind="shared", text__contains="Spoed").exists()


def test_who_sees_a_case(network, af_oov, other_af_oov):
    case = network["case"]
    for user in (af_oov, network["zc"], network["avim"]):
        assert case_policy.visible_to(actor_for(user)).filter(pk=case.pk).exists()
    outsider = user_with_role(Role.AVIM, organisation=network["outsider_org"])
    for user in (other_af_oov, outsider):
        assert not case_policy.visible_to(actor_for(user)).exists()
        assert not case_policy.can(actor_for(user), CaseAction.VIEW, case)


def test_the_timeline_is_append_only_corrections_point_back(network):
    context = context_for(network["zc"])
    first = services.timeline_post(
        context=context, case=network["case"], kind="contact", text="Gesprek op 2 maart"
    )
    fix = services.timeline_post(
        context=context, case=network["case"], kind="contact", text="Was 3 maart", corrects=first
    )
    first.refresh_from_db()
    assert first.text == "Gesprek op 2 maart"
    assert fix.corrects == first
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"status": MeetingStatus.PLANNED},
        {"status": MeetingStatus.CLOSED},
        {"meeting_type": MeetingType.RIEC_MEETING},
        {"without_case": True},
    ],
    ids=["not-yet-held", "minutes-final", "riec-not-vco", "case-not-on-agenda"],
)
def test_acknowledgement_and_approval_only_in_a_held_case_meeting_with_the_case(
    network, af_oov, change
):
    vco = network["vco"]
    intervention = services.intervention_propose(
        context=context_for(network["avim"]), case=network["case"], kind="bibob", description="x"
    )
    proposal = services.proposal_create(
        context=context_for(network["avim"]),
        case=network["case"],
        kind="move_victim",
        text="Verhuizen naar opvang elders",
    )
    if change.pop("without_case", False):
        vco.agenda.all().delete()
    Meeting.objects.filter(pk=vco.pk).update(**change)
    vco.refresh_from_db()
    with pytest.raises(TransitionRefused):
        services.intervention_acknowledge(
            context=context_for(network["zc"]), intervention=intervention, meeting=vco
        )
    with pytest.raises(TransitionRefused):
        services.proposal_decide(
            context=context_for(af_oov),
            proposal=proposal,
            approve=True,
            meeting=vco,
            meeting_note="akkoord",
        )
