"""The safeguards of the field, each proven by calling the service directly: closed is final,
big decisions are recognised by what they say, a case meeting is a meeting of the network,
reasons are real text, triage opens a working case, inspections have their parties."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from schakel.cases import services
from schakel.cases.choices import (
    CaseStatus,
    DecisionKind,
    DirectionHolder,
    InterventionStatus,
    LegalBasis,
    ProposalStatus,
)
from schakel.cases.models import Case, CaseParticipant, Proposal, TimelineEntry
from schakel.cases.workflow import TransitionRefused
from schakel.core.policies import NotFound
from schakel.intake import services as intake_services
from schakel.intake.models import SignalLink
from schakel.meetings import services as meeting_services
from schakel.meetings.choices import MeetingStatus, TriageDecision
from schakel.meetings.models import AgendaItem
from schakel.organisations.models import BigDecision
from schakel.retention.services import legal_hold_set
from schakel.worklist.selectors import my_actions as worklist_actions

from .conftest import mailed
from .factories import SignalFactory
from .world import VICTIM, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def closed_case(world):
    case = world.open_case()
    services.case_close(
        context=world.context("af"),
        case=case,
        summary="Geen mensenhandel",
        outcomes={p.pk: "none" for p in case.persons.all()},
        feedback="Dank voor de melding; er is gehandeld.",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    return case


# --- Closed is final --------------------------------------------------------------------------


def test_a_closed_case_accepts_no_new_participant_person_agreement_or_decision(world):
    case = closed_case(world)
    af = world.context("af")
    writes = [
        lambda: services.case_add_participant(
            context=af,
            case=case,
            organisation=world.orgs["iszw"],
            legal_basis=LegalBasis.COVENANT,
            justification="Arbeidsuitbuiting",
        ),
        lambda: services.case_person_add(context=af, case=case, role="victim", name="Nieuw"),
        lambda: services.agreement_make(
            context=af,
            case=case,
            text="Nog iets",
            owner=world.orgs["zc"],
            due_on=timezone.localdate(),
        ),
        lambda: services.referral_make(
            context=af, case=case, to_organisation=world.orgs["care"], reason="Opvang"
        ),
        lambda: services.intervention_propose(
            context=af, case=case, kind="closure", description="Sluiting"
        ),
        lambda: services.case_set_direction(
            context=af, case=case, holder=DirectionHolder.VEILIG_THUIS, reason="Hoog risico"
        ),
        lambda: services.proposal_create(
            context=af, case=case, kind=DecisionKind.MOVE_VICTIM, text="Verhuizen"
        ),
        lambda: services.timeline_post(context=af, case=case, kind="note", text="Nog een notitie"),
    ]
    for write in writes:
        with pytest.raises(TransitionRefused, match="gesloten"):
            write()
    assert not CaseParticipant.objects.filter(case=case, organisation=world.orgs["iszw"]).exists()


def test_sharing_a_closed_case_through_the_screen_shows_no_names_and_adds_nobody(client, world):
    case = closed_case(world)
    client.force_login(world.users["af"])
    response = client.post(
        reverse("cases:act", args=[case.reference, "share"]),
        {
            "share-organisation": world.orgs["iszw"].pk,
            "share-legal_basis": "covenant",
            "share-justification": "x",
        },
    )
    assert response.status_code == 302
    assert not case.participants.filter(organisation=world.orgs["iszw"]).exists()
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "gesloten" in page


def test_a_closed_signal_is_not_enriched_or_linked(world):
    signal = world.signal
    af = world.context("af")
    intake_services.signal_give_feedback(context=af, signal=signal, feedback="Dank u wel.")
    intake_services.signal_close(context=af, signal=signal, reason="handed_over")
    other = SignalFactory(municipality=world.municipality)
    with pytest.raises(TransitionRefused):
        intake_services.signal_enrich(context=af, signal=signal, kind="address", text="Adres")
    with pytest.raises(TransitionRefused):
        intake_services.signal_link(context=af, signal=signal, other=other, reason="Zelfde pand")


# --- Big decisions by content, not by label ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Milan trekt de aangifte in", DecisionKind.WITHDRAW_POLICE_REPORT),
        ("Zij wil haar aangifte intrekken.", DecisionKind.WITHDRAW_POLICE_REPORT),
        ("She wants to withdraw her police report", DecisionKind.WITHDRAW_POLICE_REPORT),
        ("We verplaatsen Slachtoffer 1 naar een andere opvang", DecisionKind.MOVE_VICTIM),
        ("The victim will move to a shelter in another city", DecisionKind.MOVE_VICTIM),
        ("De opvang wordt volgende week beëindigd", DecisionKind.END_SHELTER),
        ("She leaves the shelter on Friday", DecisionKind.END_SHELTER),
        ("Ik ga de verdachte morgen aanspreken op zijn gedrag", DecisionKind.CONFRONT_SUSPECT),
        ("We will confront the suspect tomorrow", DecisionKind.CONFRONT_SUSPECT),
        # Invisible and full-width characters do not hide a word.
        ("Milan trekt de aan\u200bgifte in", DecisionKind.WITHDRAW_POLICE_REPORT),
        ("Milan trekt de ａａｎｇｉｆｔｅ in", DecisionKind.WITHDRAW_POLICE_REPORT),
    ],
)
def test_a_plain_entry_that_reads_like_a_big_decision_is_held_back_with_a_warning(
    world, text, kind
):
    case = world.open_case()
    before = TimelineEntry.objects.filter(case=case).count()
    for entry_kind in ("note", "decision"):
        with pytest.raises(services.LooksLikeBigDecision) as raised:
            services.timeline_post(
                context=world.context("zc"), case=case, kind=entry_kind, text=text
            )
        assert raised.value.suspected.kind == kind
    assert TimelineEntry.objects.filter(case=case).count() == before
    assert not Proposal.objects.filter(case=case).exists()


def test_the_author_may_record_it_as_written_after_the_warning(world):
    case = world.open_case()
    entry = services.timeline_post(
        context=world.context("zc"),
        case=case,
        kind="note",
        text="Gesproken over of zij de aangifte wil intrekken: nee, zij zet door.",
        plain_confirmed=True,
    )
    assert isinstance(entry, TimelineEntry)


def test_choosing_a_big_decision_makes_a_proposal_whatever_the_entry_type(world):
    case = world.open_case()
    for entry_kind in ("note", "contact", "decision"):
        result = services.timeline_post(
            context=world.context("avim"),
            case=case,
            kind=entry_kind,
            text="Slachtoffer 1 gaat ergens anders wonen",
            decision_kind=DecisionKind.MOVE_VICTIM,
        )
        assert isinstance(result, Proposal)
        assert result.status == ProposalStatus.PENDING
        assert result.proposed_by_organisation == world.orgs["avim"]


def test_a_municipalitys_own_big_decision_is_recognised_and_proposed(world):
    BigDecision.objects.create(
        municipality=world.municipality,
        name="Van school wisselen",
        keywords="schoolwissel\nnew school",
    )
    case = world.open_case()
    with pytest.raises(services.LooksLikeBigDecision) as raised:
        services.timeline_post(
            context=world.context("zc"), case=case, kind="note", text="Een Schoolwissel regelen"
        )
    proposal = services.timeline_post(
        context=world.context("zc"),
        case=case,
        kind="note",
        text="Een schoolwissel regelen",
        decision_kind=raised.value.suspected.code,
    )
    assert proposal.label == "Van school wisselen"


def test_a_proposal_tells_the_proposer_the_zorgcoordinator_and_the_netwerkregisseur_at_once(
    world, django_capture_on_commit_callbacks
):
    case = world.open_case(share=("zc", "avim"))
    services.case_add_participant(
        context=world.context("af"),
        case=case,
        organisation=world.orgs["care"],
        legal_basis=LegalBasis.PSEUDONYMS_ONLY,
        justification="Begeleidt het slachtoffer",
    )
    mail_before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_create(
            context=world.context("care"),
            case=case,
            kind=DecisionKind.WITHDRAW_POLICE_REPORT,
            text="Zij wil de aangifte intrekken na bedreiging",
        )
    told = mailed("groot besluit")
    assert {"zc@example.test", "af@example.test"} <= told
    assert "care@example.test" not in told  # not the proposer themselves
    assert "vt@example.test" not in told  # no minor, no high risk
    sent = mail.outbox[mail_before:]
    assert sent and all("bedreiging" not in m.body + m.subject for m in sent)  # no content


def test_veilig_thuis_is_told_of_a_big_decision_when_a_minor_is_involved(
    world, django_capture_on_commit_callbacks
):
    world.signal.persons.filter(role="victim").update(approximate_age=16)
    case = world.open_case()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_create(
            context=world.context("avim"), case=case, kind=DecisionKind.MOVE_VICTIM, text="Weg"
        )
    assert "vt@example.test" in mailed("groot besluit")


def test_a_pending_proposal_waits_in_the_zorgcoordinators_actions_and_on_the_next_agenda(
    client, world
):
    case = world.open_case()
    meeting = world.case_meeting(status=MeetingStatus.PLANNED)
    proposal = services.proposal_create(
        context=world.context("avim"),
        case=case,
        kind=DecisionKind.WITHDRAW_POLICE_REPORT,
        text="Aangifte intrekken",
    )
    assert [p.pk for p in worklist_actions(world.context("zc")).cases.proposals] == [proposal.pk]
    assert [p.pk for p in worklist_actions(world.context("avim")).cases.proposals] == [proposal.pk]
    item = AgendaItem.objects.get(meeting=meeting, case=case)
    client.force_login(world.users["zc"])
    page = client.get(reverse("meetings:item", args=[meeting.pk, item.pk])).content.decode()
    assert 'data-testid="proposal-waiting"' in page
    assert 'data-testid="decide-proposal"' not in page  # the ZC does not record the decision


# --- A case meeting is a meeting --------------------------------------------------------------


def test_a_case_meeting_is_not_held_before_its_planned_day(world):
    meeting = world.case_meeting(
        status=MeetingStatus.PLANNED, scheduled_for=timezone.now() + timedelta(days=7)
    )
    with pytest.raises(TransitionRefused, match="gepland"):
        meeting_services.meeting_open_minutes(context=world.context("af"), meeting=meeting)


def test_the_netwerkregisseur_alone_approves_no_big_decision(world):
    case = world.open_case()
    meeting = world.case_meeting(present=("af",), cases=[case])
    proposal = services.proposal_create(
        context=world.context("avim"), case=case, kind=DecisionKind.MOVE_VICTIM, text="Verhuizen"
    )
    with pytest.raises(TransitionRefused, match="zorgpartij"):
        services.proposal_decide(
            context=world.context("af"),
            proposal=proposal,
            approve=True,
            meeting=meeting,
            meeting_note="Akkoord",
        )


def test_a_meeting_without_the_care_side_invited_acknowledges_no_intervention(world):
    case = world.open_case()
    meeting = world.case_meeting(present=("af", "avim"), invited=("avim", "school"), cases=[case])
    intervention = services.intervention_propose(
        context=world.context("avim"), case=case, kind="closure", description="Sluiting"
    )
    with pytest.raises(NotFound):  # the ZC is not even invited: the meeting is not theirs
        services.intervention_acknowledge(
            context=world.context("zc"), intervention=intervention, meeting=meeting
        )
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.PROPOSED


def test_the_care_side_acknowledges_only_when_recorded_present(world):
    case = world.open_case()
    meeting = world.case_meeting(present=("af", "vt"), cases=[case])
    intervention = services.intervention_propose(
        context=world.context("avim"), case=case, kind="closure", description="Sluiting"
    )
    with pytest.raises(TransitionRefused, match="aanwezig"):
        services.intervention_acknowledge(
            context=world.context("zc"), intervention=intervention, meeting=meeting
        )


def test_the_municipality_configures_a_larger_quorum(world):
    world.municipality.quorum_care_parties = 2
    world.municipality.quorum_other_parties = 1
    world.municipality.save()
    case = world.open_case()
    meeting = world.case_meeting(present=("af", "zc"), cases=[case])
    proposal = services.proposal_create(
        context=world.context("avim"), case=case, kind=DecisionKind.MOVE_VICTIM, text="Verhuizen"
    )
    decide = dict(
        context=world.context("af"), proposal=proposal, approve=True, meeting_note="Akkoord"
    )
    with pytest.raises(TransitionRefused, match="Ontbreekt"):
        services.proposal_decide(meeting=meeting, **decide)
    meeting_services.meeting_record_attendance(
        context=world.context("af"),
        meeting=meeting,
        present=[world.users[k].memberships.get() for k in ("af", "zc", "vt", "avim")],
    )
    services.proposal_decide(meeting=meeting, **decide)


def test_the_decision_names_who_was_present(world):
    case = world.open_case()
    meeting = world.case_meeting(present=("af", "zc", "avim"), cases=[case])
    proposal = services.proposal_create(
        context=world.context("avim"), case=case, kind=DecisionKind.MOVE_VICTIM, text="Verhuizen"
    )
    services.proposal_decide(
        context=world.context("af"),
        proposal=proposal,
        approve=True,
        meeting=meeting,
        meeting_note="Akkoord",
    )
    proposal.refresh_from_db()
    assert proposal.decided_with == [
        "AVIM Test (Org avim)",
        "AF Test (Org municipality)",
        "ZC Test (Org zc)",
    ]
    entry = case.timeline.filter(kind="proposal_approved").get()
    assert entry.text == "Akkoord"
    assert entry.parameters["present"] == proposal.decided_with
    assert entry.parameters["meeting"] == meeting.pk


def test_only_people_of_invited_organisations_are_recorded_present(world):
    meeting = world.case_meeting(invited=("zc",), present=())
    with pytest.raises(ValidationError):
        meeting_services.meeting_record_attendance(
            context=world.context("af"),
            meeting=meeting,
            present=[world.users["avim"].memberships.get()],
        )


# --- Reasons are real text --------------------------------------------------------------------

INVISIBLE = "\u00a0\u200b\u2060 \u200d"


def test_an_invisible_urgent_reason_does_not_execute_an_intervention(world):
    case = world.open_case()
    intervention = services.intervention_propose(
        context=world.context("avim"), case=case, kind="closure", description="Sluiting"
    )
    with pytest.raises(TransitionRefused):
        services.intervention_execute(
            context=world.context("avim"), intervention=intervention, urgent_reason=INVISIBLE
        )
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.PROPOSED


def test_the_urgent_override_alerts_the_care_side_veilig_thuis_of_the_region_and_the_netwerkregisseur(  # noqa: E501
    world, django_capture_on_commit_callbacks
):
    case = world.open_case(share=("zc", "avim"))  # Veilig Thuis does not take part
    intervention = services.intervention_propose(
        context=world.context("avim"), case=case, kind="closure", description="Sluiting"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.intervention_execute(
            context=world.context("avim"),
            intervention=intervention,
            urgent_reason="Brand in het pand, mensen slapen er",
        )
    assert {"zc@example.test", "vt@example.test", "af@example.test"} <= mailed("Spoed")


@pytest.mark.parametrize("reason", ["", INVISIBLE, "x", "\x00\x00", "—!?"])
def test_every_required_reason_refuses_what_is_not_words(world, reason):
    case = world.open_case()
    af = world.context("af")
    referral = services.referral_make(
        context=world.context("zc"), case=case, to_organisation=world.orgs["care"], reason="Opvang"
    )
    intervention = services.intervention_propose(
        context=world.context("avim"), case=case, kind="closure", description="Sluiting"
    )
    refusals = {
        "share": lambda: services.case_add_participant(
            context=af,
            case=case,
            organisation=world.orgs["iszw"],
            legal_basis=LegalBasis.OVERRIDE,
            justification=reason,
        ),
        "unshare": lambda: services.case_remove_participant(
            context=af,
            participant=case.participants.get(organisation=world.orgs["avim"]),
            reason=reason,
        ),
        "direction": lambda: services.case_set_direction(
            context=af, case=case, holder=DirectionHolder.ZVH, reason=reason
        ),
        "reject": lambda: services.referral_answer(
            context=world.context("care"), referral=referral, accept=False, answer=reason
        ),
        "revoke": lambda: services.referral_revoke(
            context=world.context("zc"), referral=referral, reason=reason
        ),
        "withdraw": lambda: services.intervention_withdraw(
            context=world.context("avim"), intervention=intervention, reason=reason
        ),
        "legal hold": lambda: legal_hold_set(
            context=world.context("privacy"),
            model=Case,
            reference=case.reference,
            hold=True,
            reason=reason,
        ),
        "feedback withheld": lambda: intake_services.signal_give_feedback(
            context=af, signal=world.signal, withheld_reason=reason
        ),
    }
    for name, refusal in refusals.items():
        with pytest.raises((ValidationError, TransitionRefused)):
            refusal()
            pytest.fail(f"{name} accepted {reason!r}")
    case.refresh_from_db()
    assert not case.legal_hold
    assert case.direction_holder == DirectionHolder.NETWORK_DIRECTOR


# --- Triage opens a working case --------------------------------------------------------------


def triage(world, decision, *, present=("af", "zc", "avim"), **extra):
    meeting = world.case_meeting(present=present)
    meeting_services.meeting_build_agenda(context=world.context("af"), meeting=meeting)
    item = meeting.agenda.get(signal=world.signal)
    return meeting, meeting_services.triage_decide(
        context=world.context("af"),
        item=item,
        decision=decision,
        deviation_reason="Besproken in het overleg",
        **extra,
    )


def participants(case):
    return {p.organisation.name: p.legal_basis for p in case.participants.all()}


def test_the_care_track_brings_in_the_zorgcoordinator_on_the_covenant(world):
    _meeting, item = triage(world, TriageDecision.CARE)
    assert participants(item.case) == {
        "Org municipality": LegalBasis.COVENANT,
        "Org zc": LegalBasis.COVENANT,
    }


def test_the_perpetrator_track_brings_in_avim_and_the_riec_partners_present(world):
    _meeting, item = triage(world, TriageDecision.PERPETRATOR, present=("af", "zc", "iszw"))
    assert set(participants(item.case)) == {"Org municipality", "Org avim", "Org iszw"}


def test_both_tracks_bring_in_both_and_veilig_thuis_directs_at_a_high_risk(world):
    _meeting, item = triage(world, TriageDecision.BOTH, safety_risk_high=True)
    assert {"Org zc", "Org avim", "Org vt"} <= set(participants(item.case))
    assert item.case.direction_holder == DirectionHolder.VEILIG_THUIS


def test_the_linked_signals_come_into_the_case(world):
    earlier = SignalFactory(municipality=world.municipality, place=world.signal.place)
    SignalLink.objects.create(signal=world.signal, linked=earlier, reason="Zelfde pand")
    _meeting, item = triage(world, TriageDecision.CARE)
    assert set(item.case.signals.all()) == {world.signal, earlier}


def test_an_invited_partner_that_does_not_join_sees_why_not_a_404(client, world):
    meeting, item = triage(world, TriageDecision.CARE)
    client.force_login(world.users["avim"])
    page = client.get(reverse("meetings:item", args=[meeting.pk, item.pk])).content.decode()
    assert 'data-testid="case-not-joined"' in page
    assert 'data-testid="case-link"' not in page
    client.force_login(world.users["zc"])
    page = client.get(reverse("meetings:item", args=[meeting.pk, item.pk])).content.decode()
    assert 'data-testid="case-link"' in page and VICTIM in page


def test_the_partners_brought_in_are_told_by_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        triage(world, TriageDecision.CARE)
    assert "zc@example.test" in mailed("neemt deel")


def test_invisible_feedback_is_no_feedback_and_an_invisible_topic_no_topic(world):
    signal = world.signal
    with pytest.raises(ValidationError):
        intake_services.signal_give_feedback(
            context=world.context("af"), signal=signal, feedback=INVISIBLE
        )
    signal.refresh_from_db()
    assert signal.feedback_at is None
    meeting = world.case_meeting()
    with pytest.raises(ValidationError):
        meeting_services.agenda_add_topic(
            context=world.context("af"), meeting=meeting, topic=INVISIBLE
        )


def test_closing_feedback_that_names_a_person_of_the_case_in_another_spelling_is_refused(world):
    """The case's check finds names as redaction does (intake.pii.mentions_a_name): a surname
    alone, in capitals, without its accent or with a zero-width space inside."""
    case = world.open_case()
    services.case_person_add(
        context=world.context("af"), case=case, role="perpetrator", name="Dragan Vošković"
    )
    outcomes = {p.pk: "none" for p in case.persons.all()}
    for feedback in ("Meneer VOSKOVIC is aangehouden.", "Vos\u200bković is gesproken."):
        with pytest.raises(ValidationError):
            services.case_close(
                context=world.context("af"),
                case=case,
                summary="Afgerond",
                outcomes=outcomes,
                feedback=feedback,
            )
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED
