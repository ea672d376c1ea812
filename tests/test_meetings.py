"""The case meeting (VCO) and the RIEC meeting as the field runs them (DOMAIN.md §4, §5): the
agenda is built from routed signals and open cases, signals are triaged with the assessment
framework beside them, personal data reaches only organisations under a covenant that covers the
meeting, and the two interlocks are recorded in the meeting, never around it."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from schakel.audit.models import AuditEvent
from schakel.cases import services as case_services
from schakel.cases.choices import DirectionHolder, InterventionStatus, LegalBasis, ProposalStatus
from schakel.cases.models import Case
from schakel.catalogue.models import Indicator
from schakel.core.crypto import blind_index
from schakel.intake.choices import Routing, SignalEventKind, SignalStatus
from schakel.intake.models import SignalPerson
from schakel.meetings import selectors, services
from schakel.meetings.assessment import advise, deviates
from schakel.meetings.choices import Advice, MeetingStatus, TriageDecision
from schakel.meetings.models import AgendaItem, Meeting
from schakel.organisations.choices import MeetingType, OrganisationKind, Role
from schakel.organisations.services import covenant_ensure

from .conftest import context_for
from .factories import OrganisationFactory, SignalFactory, user_with_role
from .test_redaction import field_writes
from .test_signal_cards import pdf_pages_and_text

pytestmark = pytest.mark.django_db

VICTIM = "Oksana Verbitskaja"


@pytest.fixture
def region_network(municipality, af_oov):
    """The VCO covenant covers the municipality, the ZC and AVIM; the labour inspectorate is
    invited but is not a party."""
    region = municipality.region
    organisations = {
        "af": af_oov.memberships.get().organisation,
        "zc": OrganisationFactory(
            regional=True, region=region, kind=OrganisationKind.CARE_COORDINATION, name="ZC"
        ),
        "avim": OrganisationFactory(regional=True, region=region, name="AVIM"),
        "iszw": OrganisationFactory(
            regional=True, region=region, kind=OrganisationKind.LABOUR_INSPECTORATE, name="ISZW"
        ),
    }
    covenant_ensure(
        name="Convenant slachtoffers",
        region=region,
        legal_basis="art. 4",
        valid_from=date(2024, 1, 1),
        parties=[organisations[k] for k in ("af", "zc", "avim")],
        meeting_types=[MeetingType.CASE_MEETING],
    )
    users = {
        "af": af_oov,
        "zc": user_with_role(Role.ZORGCOORDINATOR, organisation=organisations["zc"]),
        "avim": user_with_role(Role.AVIM, organisation=organisations["avim"]),
        "iszw": user_with_role(Role.ISZW, organisation=organisations["iszw"]),
    }
    return organisations, users


def routed_signal(municipality, *, hard=0, soft=0, age=None):
    signal = SignalFactory(
        municipality=municipality, status=SignalStatus.ROUTED, routing=Routing.CASE_MEETING
    )
    signal.indicators.set(
        [
            *Indicator.objects.filter(strength="hard")[:hard],
            *Indicator.objects.filter(strength="soft")[:soft],
        ]
    )
    SignalPerson.objects.create(
        signal=signal,
        role="victim",
        name=VICTIM,
        name_index=blind_index(VICTIM, purpose="person-name"),
        approximate_age=age,
    )
    return signal


def vco(region_network, municipality, *, held=True, present=()):
    """A VCO for now with the ZC, AVIM and ISZW invited; once held, the users in `present`
    (keys of the network's users) are recorded present."""
    organisations, users = region_network
    meeting = services.meeting_plan(
        context=context_for(users["af"]),
        municipality=municipality,
        meeting_type=MeetingType.CASE_MEETING,
        scheduled_for=timezone.now(),
        invited=[organisations["zc"], organisations["avim"], organisations["iszw"]],
    )
    services.meeting_build_agenda(context=context_for(users["af"]), meeting=meeting)
    if held:
        services.meeting_open_minutes(context=context_for(users["af"]), meeting=meeting)
        services.meeting_record_attendance(
            context=context_for(users["af"]),
            meeting=meeting,
            present=[users[key].memberships.get() for key in present],
        )
    meeting.refresh_from_db()
    return meeting


# --- The assessment framework -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hard", "soft", "threshold", "advice"),
    [
        (3, 0, 3, Advice.INTERVENE),
        (4, 2, 3, Advice.INTERVENE),
        (2, 5, 3, Advice.MONITOR),
        (0, 1, 3, Advice.MONITOR),
        (0, 0, 3, Advice.NONE),
        (2, 0, 2, Advice.INTERVENE),  # the threshold is the municipality's own
    ],
)
def test_the_advice_follows_hard_signals_and_the_municipalitys_threshold(
    hard, soft, threshold, advice
):
    assert advise(hard=hard, soft=soft, threshold=threshold) == advice


def test_which_decisions_deviate_from_which_advice():
    assert not deviates(Advice.INTERVENE, TriageDecision.PERPETRATOR)
    assert not deviates(Advice.INTERVENE, TriageDecision.BOTH)
    assert deviates(Advice.INTERVENE, TriageDecision.MONITOR)
    assert deviates(Advice.MONITOR, TriageDecision.PERPETRATOR)
    assert not deviates(Advice.MONITOR, TriageDecision.MONITOR)
    assert not any(deviates(Advice.NONE, decision) for decision in TriageDecision)


# --- Planning and the agenda --------------------------------------------------------------------


def test_the_agenda_holds_routed_signals_and_open_cases_once(region_network, municipality):
    organisations, users = region_network
    signal = routed_signal(municipality, hard=1)
    not_routed = SignalFactory(municipality=municipality)
    case = case_services.case_open(
        context=context_for(users["af"]),
        signals=[SignalFactory(municipality=municipality)],
    )
    meeting = vco(region_network, municipality, held=False)
    assert set(meeting.agenda.values_list("signal", "case")) == {
        (signal.pk, None),
        (None, case.pk),
    }
    assert not meeting.agenda.filter(signal=not_routed).exists()
    assert services.meeting_build_agenda(context=context_for(users["af"]), meeting=meeting) == 0
    assert organisations["af"] in meeting.invited.all()  # the organiser is always invited


def test_only_the_netwerkregisseur_of_the_municipality_plans_and_runs_meetings(
    region_network, municipality, other_af_oov
):
    _organisations, users = region_network
    for outsider in (users["avim"], other_af_oov):
        with pytest.raises(PermissionDenied):
            services.meeting_plan(
                context=context_for(outsider),
                municipality=municipality,
                meeting_type=MeetingType.CASE_MEETING,
                scheduled_for=timezone.now(),
                invited=[],
            )
    meeting = vco(region_network, municipality, held=False)
    with pytest.raises(PermissionDenied):
        services.meeting_open_minutes(context=context_for(users["zc"]), meeting=meeting)


# --- Triage -------------------------------------------------------------------------------------


def item_for(meeting, signal):
    return meeting.agenda.get(signal=signal)


def test_three_hard_signals_advise_intervention_and_the_perpetrator_track_opens_a_case(
    region_network, municipality
):
    _organisations, users = region_network
    signal = routed_signal(municipality, hard=3, soft=1)
    meeting = vco(region_network, municipality)
    item = services.triage_decide(
        context=context_for(users["af"]),
        item=item_for(meeting, signal),
        decision=TriageDecision.PERPETRATOR,
    )
    assert (item.hard_count, item.soft_count, item.advice) == (3, 1, Advice.INTERVENE)
    case = Case.objects.get(signals=signal)
    assert item.case == case
    assert case.direction_holder == DirectionHolder.NETWORK_DIRECTOR
    assert signal.events.filter(kind=SignalEventKind.TRIAGED).exists()


def test_deviating_from_the_advice_needs_a_reason_which_is_kept(region_network, municipality):
    _organisations, users = region_network
    signal = routed_signal(municipality, hard=3)
    meeting = vco(region_network, municipality)
    with pytest.raises(ValidationError) as refused:
        services.triage_decide(
            context=context_for(users["af"]),
            item=item_for(meeting, signal),
            decision=TriageDecision.MONITOR,
            recheck_on=date.today() + timedelta(days=30),
        )
    assert "deviation_reason" in refused.value.message_dict
    item = services.triage_decide(
        context=context_for(users["af"]),
        item=item_for(meeting, signal),
        decision=TriageDecision.MONITOR,
        recheck_on=date.today() + timedelta(days=30),
        deviation_reason="Controle door ISZW volgt eerst; dan opnieuw wegen.",
    )
    assert item.deviation_reason.startswith("Controle door ISZW")
    assert not Case.objects.filter(signals=signal).exists()


def test_monitoring_needs_a_recheck_date(region_network, municipality):
    _organisations, users = region_network
    signal = routed_signal(municipality, soft=2)
    meeting = vco(region_network, municipality)
    with pytest.raises(ValidationError) as refused:
        services.triage_decide(
            context=context_for(users["af"]),
            item=item_for(meeting, signal),
            decision=TriageDecision.MONITOR,
        )
    assert "recheck_on" in refused.value.message_dict


def test_care_track_at_high_safety_risk_gives_direction_to_veilig_thuis(
    region_network, municipality
):
    _organisations, users = region_network
    signal = routed_signal(municipality, hard=1)
    meeting = vco(region_network, municipality)
    services.triage_decide(
        context=context_for(users["af"]),
        item=item_for(meeting, signal),
        decision=TriageDecision.CARE,
        deviation_reason="Slachtoffer wil hulp; dader nog onbekend.",
        safety_risk_high=True,
    )
    case = Case.objects.get(signals=signal)
    assert case.direction_holder == DirectionHolder.VEILIG_THUIS
    assert case.timeline.filter(kind="direction").exists()


def test_triage_only_in_a_held_case_meeting_and_only_once(region_network, municipality):
    _organisations, users = region_network
    signal = routed_signal(municipality, soft=1)
    planned = vco(region_network, municipality, held=False)
    with pytest.raises(services.TransitionRefused):
        services.triage_decide(
            context=context_for(users["af"]),
            item=item_for(planned, signal),
            decision=TriageDecision.NOT_TRAFFICKING,
            deviation_reason="x",
        )
    services.meeting_open_minutes(context=context_for(users["af"]), meeting=planned)
    services.triage_decide(
        context=context_for(users["af"]),
        item=item_for(planned, signal),
        decision=TriageDecision.NOT_TRAFFICKING,
        deviation_reason="Uitleg sluitend; geen aanwijzingen na navraag.",
    )
    with pytest.raises(services.TransitionRefused):
        services.triage_decide(
            context=context_for(users["af"]),
            item=item_for(planned, signal),
            decision=TriageDecision.CARE,
            deviation_reason="x",
        )
    # A decided signal does not come back on the next agenda.
    later = services.meeting_plan_follow_up(
        context=context_for(users["af"]),
        meeting=planned,
        scheduled_for=timezone.now() + timedelta(days=14),
    )
    assert not later.agenda.filter(signal=signal).exists()


def test_a_monitored_signal_comes_back_on_the_agenda_when_its_recheck_is_due(
    region_network, municipality
):
    _organisations, users = region_network
    signal = routed_signal(municipality, soft=2)
    meeting = vco(region_network, municipality)
    services.triage_decide(
        context=context_for(users["af"]),
        item=item_for(meeting, signal),
        decision=TriageDecision.MONITOR,
        recheck_on=timezone.localdate() + timedelta(days=30),
    )
    too_early = services.meeting_plan_follow_up(
        context=context_for(users["af"]),
        meeting=meeting,
        scheduled_for=timezone.now() + timedelta(days=14),
    )
    assert not too_early.agenda.filter(signal=signal).exists()
    due = services.meeting_plan_follow_up(
        context=context_for(users["af"]),
        meeting=too_early,
        scheduled_for=timezone.now() + timedelta(days=31),
    )
    assert due.agenda.filter(signal=signal).exists()
    # Meanwhile it waits in the netwerkregisseur's queue, until a meeting decides again.
    assert [i.signal for i in selectors.rechecks_due(context_for(users["af"]), within_days=31)] == [
        signal
    ]
    assert selectors.rechecks_due(context_for(users["af"]), within_days=7) == []
    assert selectors.rechecks_due(context_for(users["zc"]), within_days=31) == []


def test_the_screen_names_what_applies_below_the_threshold(client, region_network, municipality):
    """A minor (age recorded) and acute danger: 112 and the Meldcode are shown, whatever the
    advice; a possible victim brings the police's duty and CoMensha registration."""
    _organisations, users = region_network
    signal = routed_signal(municipality, soft=1, age=16)
    meeting = vco(region_network, municipality)
    item = item_for(meeting, signal)
    AgendaItem.objects.filter(pk=item.pk).update(acute_danger=True)
    client.force_login(users["af"])
    page = client.get(reverse("meetings:item", args=[meeting.pk, item.pk]))
    codes = {w.code for w in page.context["row"].warnings}
    assert codes == {"acute_danger", "minor", "police_duty", "comensha"}
    assert "112" in page.content.decode()


# --- Personal data follows the covenant --------------------------------------------------------


def test_an_organisation_outside_the_covenant_sees_the_agenda_with_pseudonyms_only(
    client, region_network, municipality
):
    _organisations, users = region_network
    signal = routed_signal(municipality, hard=1)
    meeting = vco(region_network, municipality)
    item = item_for(meeting, signal)
    services.item_record_minutes(
        context=context_for(users["af"]),
        item=item,
        discussion=f"{VICTIM} is bereid te praten.",
        decisions="AVIM neemt contact op.",
        version=meeting.version,
    )
    for url in (
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:item", args=[meeting.pk, item.pk]),
    ):
        client.force_login(users["iszw"])
        outside = client.get(url).content.decode()
        assert VICTIM not in outside
        assert signal.description not in outside
        assert "Slachtoffer 1" in outside
        client.force_login(users["zc"])
        inside = client.get(url).content.decode()
        assert VICTIM in inside


def test_the_reason_for_deviating_is_not_shown_outside_the_covenant(
    client, region_network, municipality
):
    _organisations, users = region_network
    signal = routed_signal(municipality, hard=3)
    meeting = vco(region_network, municipality)
    item = item_for(meeting, signal)
    services.triage_decide(
        context=context_for(users["af"]),
        item=item,
        decision=TriageDecision.CARE,
        deviation_reason=f"{VICTIM} wil eerst hulp, dan pas aangifte",
    )
    url = reverse("meetings:item", args=[meeting.pk, item.pk])
    client.force_login(users["iszw"])
    assert "eerst hulp" not in client.get(url).content.decode()
    client.force_login(users["zc"])
    assert "eerst hulp" in client.get(url).content.decode()


def test_the_minutes_pdf_is_pseudonymised_for_an_organisation_outside_the_covenant(
    client, region_network, municipality
):
    _organisations, users = region_network
    routed_signal(municipality, hard=1)
    meeting = vco(region_network, municipality)
    client.force_login(users["iszw"])
    response = client.get(reverse("meetings:pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    _pages, text = pdf_pages_and_text(response.content)
    assert "Slachtoffer 1" in text
    assert "Verbitskaja" not in text
    client.force_login(users["zc"])
    _pages, text = pdf_pages_and_text(
        client.get(reverse("meetings:pdf", args=[meeting.pk])).content
    )
    assert "Verbitskaja" in text


def test_names_in_a_topic_become_pseudonyms_outside_the_covenant_on_screen_and_in_the_pdf(
    client, region_network, municipality
):
    """A topic of its own is shown to everyone invited, its minutes too: the names of the
    persons on the agenda in it are replaced by their pseudonyms, through the same redactor
    as the case page."""
    _organisations, users = region_network
    routed_signal(municipality, hard=1)
    meeting = vco(region_network, municipality, held=False)
    topic = services.agenda_add_topic(
        context=context_for(users["af"]), meeting=meeting, topic="Terugblik op Oksana"
    )
    services.meeting_open_minutes(context=context_for(users["af"]), meeting=meeting)
    meeting.refresh_from_db()
    services.item_record_minutes(
        context=context_for(users["af"]),
        item=topic,
        discussion=f"De opvang van {VICTIM} liep goed.",
        decisions="Verbitskaja krijgt een vervolggesprek.",
        version=meeting.version,
    )
    client.force_login(users["iszw"])
    for url in (
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:item", args=[meeting.pk, topic.pk]),
    ):
        outside = client.get(url).content.decode()
        assert "Oksana" not in outside and "Verbitskaja" not in outside
        assert "Slachtoffer 1" in outside
    item_page = client.get(reverse("meetings:item", args=[meeting.pk, topic.pk]))
    assert "De opvang van Slachtoffer 1 liep goed." in item_page.content.decode()
    _pages, text = pdf_pages_and_text(
        client.get(reverse("meetings:pdf", args=[meeting.pk])).content
    )
    assert "Verbitskaja" not in text and "Oksana" not in text
    assert "vervolggesprek" in text
    client.force_login(users["zc"])
    inside = client.get(reverse("meetings:item", args=[meeting.pk, topic.pk])).content.decode()
    assert VICTIM in inside and "Terugblik op Oksana" in inside


def test_the_agenda_is_read_models_and_display_mutates_no_agenda_item(
    client, region_network, municipality
):
    _organisations, users = region_network
    signal = routed_signal(municipality, hard=1)
    meeting = vco(region_network, municipality)
    item = item_for(meeting, signal)
    services.item_record_minutes(
        context=context_for(users["af"]),
        item=item,
        discussion=f"{VICTIM} is bereid te praten.",
        decisions="",
        version=meeting.version,
    )
    with field_writes(AgendaItem, Meeting, SignalPerson) as writes:
        view = selectors.meeting_view(context_for(users["iszw"]), meeting.pk, purpose="view")
        client.force_login(users["iszw"])
        client.get(reverse("meetings:item", args=[meeting.pk, item.pk]))
        client.get(reverse("meetings:pdf", args=[meeting.pk]))
    assert writes == []
    row = view.rows[0]
    assert VICTIM not in row.item.discussion and "Slachtoffer 1" in row.item.discussion
    item.refresh_from_db()
    assert item.discussion == f"{VICTIM} is bereid te praten."
    for read_model in (view, row, row.item, row.persons[0]):
        with pytest.raises(dataclasses.FrozenInstanceError):
            read_model.title = ""  # type: ignore[misc]


def test_reading_an_agenda_with_personal_data_is_audited_with_the_person(
    client, region_network, municipality
):
    _organisations, users = region_network
    signal = routed_signal(municipality, hard=1)
    meeting = vco(region_network, municipality)
    person = signal.persons.get()
    client.force_login(users["zc"])
    client.get(reverse("meetings:detail", args=[meeting.pk]))
    event = AuditEvent.objects.filter(action="read", purpose="meeting view").latest("pk")
    assert f"intake.SignalPerson:{person.pk}" in event.subjects
    before = AuditEvent.objects.filter(action="read").count()
    client.force_login(users["iszw"])
    client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert AuditEvent.objects.filter(action="read").count() == before  # nothing personal shown


def test_an_organisation_not_invited_does_not_see_the_meeting(client, region_network, municipality):
    meeting = vco(region_network, municipality)
    stranger = user_with_role(Role.AVIM, regional=True, region=municipality.region)
    client.force_login(stranger)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404


# --- Minutes without lost work ------------------------------------------------------------------


def test_two_secretaries_at_once_get_a_conflict_and_keep_their_text(
    client, region_network, municipality
):
    _organisations, users = region_network
    signal = routed_signal(municipality, hard=1)
    meeting = vco(region_network, municipality)
    item = item_for(meeting, signal)
    stale = meeting.version
    services.item_record_minutes(
        context=context_for(users["af"]),
        item=item,
        discussion="Eerste versie",
        decisions="",
        version=stale,
    )
    client.force_login(users["af"])
    response = client.post(
        reverse("meetings:item", args=[meeting.pk, item.pk]),
        {
            "minutes": "1",
            "minutes-discussion": "Mijn uitgebreide tekst",
            "minutes-decisions": "",
            "minutes-version": str(stale),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mijn uitgebreide tekst" in body
    assert "Iemand anders" in body or "Someone else" in body
    item.refresh_from_db()
    assert item.discussion == "Eerste versie"


# --- The interlocks, recorded in the meeting ----------------------------------------------------


@pytest.fixture
def case_in_vco(region_network, municipality):
    organisations, users = region_network
    case = case_services.case_open(
        context=context_for(users["af"]),
        signals=[SignalFactory(municipality=municipality)],
    )
    for key in ("zc", "avim"):
        case_services.case_add_participant(
            context=context_for(users["af"]),
            case=case,
            organisation=organisations[key],
            legal_basis=LegalBasis.COVENANT,
            justification="VCO",
        )
    meeting = vco(region_network, municipality, present=("af", "zc", "avim"))
    return case, meeting, users


def test_the_care_side_acknowledges_an_intervention_in_the_meeting_and_no_one_else(
    client, case_in_vco
):
    case, meeting, users = case_in_vco
    intervention = case_services.intervention_propose(
        context=context_for(users["avim"]), case=case, kind="closure", description="Sluiting"
    )
    url = reverse("meetings:acknowledge", args=[meeting.pk, intervention.pk])
    for not_care in (users["avim"], users["af"]):
        client.force_login(not_care)
        client.post(url, {})
        intervention.refresh_from_db()
        assert intervention.status == InterventionStatus.PROPOSED
    client.force_login(users["zc"])
    client.post(url, {f"intervention-{intervention.pk}-note": "Opvang staat klaar"})
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.ACKNOWLEDGED
    assert intervention.acknowledged_in.meeting == meeting


def test_only_the_meeting_approves_a_big_decision(client, case_in_vco):
    case, meeting, users = case_in_vco
    proposal = case_services.proposal_create(
        context=context_for(users["avim"]),
        case=case,
        kind="withdraw_report",
        text="Aangifte intrekken op verzoek",
    )
    url = reverse("meetings:decide_proposal", args=[meeting.pk, proposal.pk])
    data = {f"proposal-{proposal.pk}-approve": "1", f"proposal-{proposal.pk}-note": "akkoord"}
    client.force_login(users["avim"])  # a partner cannot approve its own proposal
    client.post(url, data)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    client.force_login(users["af"])
    client.post(url, data)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.decided_in.meeting == meeting


def test_after_the_minutes_are_final_nothing_is_decided_in_that_meeting(client, case_in_vco):
    case, meeting, users = case_in_vco
    proposal = case_services.proposal_create(
        context=context_for(users["avim"]), case=case, kind="move_victim", text="Verhuizen"
    )
    services.meeting_finalise(context=context_for(users["af"]), meeting=meeting)
    client.force_login(users["af"])
    client.post(
        reverse("meetings:decide_proposal", args=[meeting.pk, proposal.pk]),
        {f"proposal-{proposal.pk}-approve": "1", f"proposal-{proposal.pk}-note": "akkoord"},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED


def test_a_recheck_that_is_due_waits_in_mijn_acties(client, region_network, municipality):
    _organisations, users = region_network
    signal = routed_signal(municipality, soft=1)
    meeting = vco(region_network, municipality)
    services.triage_decide(
        context=context_for(users["af"]),
        item=item_for(meeting, signal),
        decision=TriageDecision.MONITOR,
        recheck_on=timezone.localdate() + timedelta(days=10),
    )
    client.force_login(users["af"])
    page = client.get(reverse("worklist:actions"))
    assert [item.signal for item in page.context["actions"].rechecks] == [signal]
    assert signal.reference in page.content.decode()


def test_half_written_minutes_are_a_private_draft_until_saved(client, region_network, municipality):
    from schakel.core.models import Draft

    _organisations, users = region_network
    signal = routed_signal(municipality, soft=1)
    meeting = vco(region_network, municipality)
    item = item_for(meeting, signal)
    url = reverse("meetings:item", args=[meeting.pk, item.pk])
    client.force_login(users["af"])
    client.post(
        url,
        {
            "minutes": "1",
            "save_draft": "1",
            "minutes-discussion": "Halverwege: Slachtoffer 1 wil",
            "minutes-decisions": "",
        },
    )
    draft = Draft.objects.get()
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT data FROM core_draft WHERE id = %s", [draft.pk])
        assert "Halverwege" not in cursor.fetchone()[0]
    item.refresh_from_db()
    assert item.discussion == ""  # nothing is in the minutes yet
    page = client.get(url)
    assert page.context["minutes_form"].initial["discussion"].startswith("Halverwege")
    client.force_login(users["zc"])  # not the author: no draft, no form
    assert client.get(url).context["minutes_draft"] is None
    client.force_login(users["af"])
    client.post(
        url,
        {
            "minutes": "1",
            "minutes-discussion": "Slachtoffer 1 wil hulp.",
            "minutes-decisions": "ZC neemt contact op.",
            "minutes-version": str(Meeting.objects.get(pk=meeting.pk).version),
        },
    )
    item.refresh_from_db()
    assert item.discussion == "Slachtoffer 1 wil hulp."
    assert not Draft.objects.filter(pk=draft.pk).exists()
