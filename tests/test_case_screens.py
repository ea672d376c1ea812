"""The case screens and services as the field works with them: who sees persons by name, sharing
with a recorded basis, search before create, no lost edits, an append-only timeline,
agreements, referrals, the interlocks through the screens, closing with feedback, drafts."""

import dataclasses
import itertools
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from schakel.audit.models import AuditEvent
from schakel.cases import selectors, services
from schakel.cases.choices import (
    AgreementStatus,
    CaseStatus,
    DirectionHolder,
    InterventionStatus,
    LegalBasis,
    ProposalStatus,
    ReferralStatus,
)
from schakel.cases.models import (
    Agreement,
    Case,
    CaseParticipant,
    CasePerson,
    CasePersonOutcome,
    Intervention,
    Proposal,
    Referral,
    TimelineEntry,
)
from schakel.cases.workflow import (
    AGREEMENT_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    TransitionRefused,
    check,
)
from schakel.core.crypto import blind_index
from schakel.core.models import Draft
from schakel.core.policies import NotFound
from schakel.inspections.choices import InspectionStatus
from schakel.inspections.workflow import INSPECTION_TRANSITIONS
from schakel.intake.choices import SignalStatus
from schakel.intake.codes import hash_feedback_code, new_feedback_code
from schakel.intake.models import SignalPerson
from schakel.intake.selectors import public_feedback_for
from schakel.organisations.choices import MeetingType, OrganisationKind, Role
from schakel.organisations.services import covenant_ensure
from schakel.worklist.selectors import my_actions as worklist_actions

from .conftest import context_for, mailed
from .factories import OrganisationFactory, SignalFactory, user_with_role
from .test_redaction import field_writes

pytestmark = pytest.mark.django_db

VICTIM, SUSPECT = "Oksana Vermeulen-Tkachenko", "Gerrit Blaauwendraad"


def _person(signal, role, name, **extra):
    return SignalPerson.objects.create(
        signal=signal,
        role=role,
        name=name,
        name_index=blind_index(name, purpose="person-name"),
        **extra,
    )


@pytest.fixture
def world(municipality, af_oov):
    """A case in Brakelveen from a routed signal with a victim and a suspect, shared with the
    ZC under the covenant; AVIM, VT and a shelter are in the region but not (yet) in the case."""
    region = municipality.region
    af_org = af_oov.memberships.get().organisation

    def regional(name, kind):
        return OrganisationFactory(regional=True, region=region, kind=kind, name=name)

    zc_org = regional("ZC", OrganisationKind.CARE_COORDINATION)
    vt_org = regional("VT", OrganisationKind.VEILIG_THUIS)
    avim_org = regional("AVIM", OrganisationKind.POLICE)
    shelter_org = regional("Opvang", OrganisationKind.CARE_PROVIDER)
    covenant_ensure(
        name="Convenant",
        region=region,
        legal_basis="art. 4",
        valid_from=date(2024, 1, 1),
        parties=[af_org, zc_org, vt_org, avim_org],
        meeting_types=[MeetingType.CASE_MEETING],
    )
    users = {
        "af": af_oov,
        "zc": user_with_role(Role.ZORGCOORDINATOR, organisation=zc_org),
        "vt": user_with_role(Role.VEILIG_THUIS, organisation=vt_org),
        "avim": user_with_role(Role.AVIM, organisation=avim_org),
        "shelter": user_with_role(Role.AF_ZORG, organisation=shelter_org),
    }
    for key in ("zc", "vt"):
        users[key].email = f"{key}@example.test"
        users[key].save()
    signal = SignalFactory(municipality=municipality, status=SignalStatus.ROUTED)
    _person(signal, "victim", VICTIM, date_of_birth="14-03-1998", nationality="Oekraïens")
    _person(signal, "perpetrator", SUSPECT)
    case = services.case_open(context=context_for(af_oov), signals=[signal], summary="Uitbuiting")
    services.case_add_participant(
        context=context_for(af_oov),
        case=case,
        organisation=zc_org,
        legal_basis=LegalBasis.COVENANT,
        justification="VCO",
    )
    orgs = {"af": af_org, "zc": zc_org, "vt": vt_org, "avim": avim_org, "shelter": shelter_org}
    return {"case": case, "signal": signal, "users": users, "orgs": orgs}


def share(world, key, basis=LegalBasis.PSEUDONYMS_ONLY, reason="Werkt mee aan de zaak"):
    return services.case_add_participant(
        context=context_for(world["users"]["af"]),
        case=world["case"],
        organisation=world["orgs"][key],
        legal_basis=basis,
        justification=reason,
    )


def detail(client, user, case, section="overview"):
    client.force_login(user)
    if section == "overview":
        return client.get(reverse("cases:detail", args=[case.reference]))
    return client.get(reverse("cases:section", args=[case.reference, section]))


SECTIONS = (
    "overview",
    "persons",
    "participants",
    "timeline",
    "agreements",
    "decisions",
    "referrals",
)


def whole_case(client, user, case):
    """The text of every section of the case page: what the user can read about the case."""
    pages = [detail(client, user, case, section) for section in SECTIONS]
    assert all(page.status_code == 200 for page in pages)
    return "".join(page.content.decode() for page in pages)


def act(client, user, case, action, data):
    client.force_login(user)
    payload = {f"{action}-{key}": value for key, value in data.items()}
    return client.post(reverse("cases:act", args=[case.reference, action]), payload)


# --- Who sees persons by name -----------------------------------------------------------------


def test_opening_a_case_brings_the_signals_persons_with_pseudonyms(world):
    persons = {p.role: p for p in world["case"].persons.all()}
    assert persons["victim"].name == VICTIM and persons["victim"].number == 1
    assert persons["perpetrator"].pseudonym.endswith("A")


@pytest.mark.parametrize("who", ["af", "zc"])
def test_the_netwerkregisseur_and_a_covenant_participant_see_names_and_the_read_is_audited(
    client, world, who
):
    text = whole_case(client, world["users"][who], world["case"])
    assert VICTIM in text and "14-03-1998" in text
    event = AuditEvent.objects.filter(action="read", object_type="cases.Case").last()
    victim = world["case"].persons.get(role="victim")
    assert f"cases.CasePerson:{victim.pk}" in event.subjects


def test_a_pseudonymised_participant_sees_no_names_dates_of_birth_or_nationality(client, world):
    share(world, "avim")
    text = whole_case(client, world["users"]["avim"], world["case"])
    assert 'data-testid="pseudonymised"' in text
    for secret in (VICTIM, SUSPECT, "14-03-1998", "Oekraïens", "Vermeulen"):
        assert secret not in text
    # No personal data was shown, but the persons' trail still shows their case was opened.
    event = AuditEvent.objects.filter(action="read", object_type="cases.Case").last()
    assert event.purpose == "read case (pseudonymised)"
    assert "persons" not in event.fields
    assert sorted(event.subjects) == sorted(
        f"cases.CasePerson:{p.pk}" for p in world["case"].persons.all()
    )


def test_names_in_free_text_become_pseudonyms_for_a_pseudonymised_viewer(client, world):
    services.timeline_post(
        context=context_for(world["users"]["zc"]),
        case=world["case"],
        kind="contact",
        text=f"Gesprek met {VICTIM}; Oksana is bang voor Blaauwendraad.",
    )
    share(world, "avim")
    text = whole_case(client, world["users"]["avim"], world["case"])
    assert "Oksana" not in text and "Blaauwendraad" not in text
    assert "Gesprek met" in text


def test_names_in_agreements_interventions_proposals_and_reasons_become_pseudonyms_too(
    client, world
):
    af, zc = world["users"]["af"], world["users"]["zc"]
    case = world["case"]
    services.agreement_make(
        context=context_for(af),
        case=case,
        text="Opvang voor Oksana regelen",
        owner=world["orgs"]["zc"],
        due_on=date.today(),
    )
    services.proposal_create(
        context=context_for(zc), case=case, kind="move_victim", text=f"{VICTIM} verhuizen"
    )
    share(world, "avim", reason="Blaauwendraad is bij de politie bekend")
    services.intervention_propose(
        context=context_for(world["users"]["avim"]),
        case=case,
        kind="closure",
        description="Pand van Blaauwendraad sluiten",
    )
    share(world, "vt")
    text = whole_case(client, world["users"]["vt"], case)
    assert "Oksana" not in text and "Blaauwendraad" not in text
    for kept in ("Opvang voor", "verhuizen", "Pand van", "is bij de politie bekend"):
        assert kept in text
    # The owner of an agreement that sees the case pseudonymised reads pseudonyms in its queue.
    services.agreement_make(
        context=context_for(af),
        case=case,
        text="Blaauwendraad natrekken",
        owner=world["orgs"]["avim"],
        due_on=date.today(),
    )
    client.force_login(world["users"]["avim"])
    queue = client.get(reverse("worklist:actions")).content.decode()
    assert "natrekken" in queue and "Blaauwendraad" not in queue


def test_display_mutates_no_model_instance_and_its_read_models_are_frozen(client, world):
    """A pseudonymised page is built from read models: the instances it reads, in the database
    and prefetched on the case, keep the names."""
    af, zc = world["users"]["af"], world["users"]["zc"]
    case = world["case"]
    agreement = services.agreement_make(
        context=context_for(af),
        case=case,
        text="Opvang voor Oksana regelen",
        owner=world["orgs"]["zc"],
        due_on=date.today(),
    )
    services.proposal_create(
        context=context_for(zc), case=case, kind="move_victim", text=f"{VICTIM} verhuizen"
    )
    share(world, "avim", reason="Blaauwendraad is bij de politie bekend")
    services.intervention_propose(
        context=context_for(world["users"]["avim"]),
        case=case,
        kind="closure",
        description="Pand van Blaauwendraad sluiten",
    )
    act(
        client,
        zc,
        case,
        "referral",
        {"to_organisation": world["orgs"]["avim"].pk, "reason": "Oksana heeft opvang nodig"},
    )
    share(world, "vt")
    vt = world["users"]["vt"]
    prefetched = Case.objects.prefetch_related(
        "agreements", "referrals", "interventions", "proposals", "participants", "persons"
    ).get(pk=case.pk)
    shown_models = (Case, CasePerson, CaseParticipant, Agreement, Referral, Intervention, Proposal)
    with field_writes(*shown_models, TimelineEntry) as writes:
        view = selectors.case_view(context_for(vt), prefetched)
        page = detail(client, vt, case).content.decode()
        client.force_login(world["users"]["zc"])
        client.get(reverse("worklist:actions"))
    assert writes == []
    assert "Oksana" not in page and "Blaauwendraad" not in page
    assert "Oksana" not in view.agreements[0].text
    assert prefetched.agreements.all()[0].text == "Opvang voor Oksana regelen"
    assert VICTIM in prefetched.proposals.all()[0].text
    assert "Blaauwendraad" in prefetched.interventions.all()[0].description
    assert "Oksana" in prefetched.referrals.all()[0].reason
    assert any("Blaauwendraad" in p.justification for p in prefetched.participants.all())
    agreement.refresh_from_db()
    assert agreement.text == "Opvang voor Oksana regelen"
    assert Proposal.objects.get().text == f"{VICTIM} verhuizen"
    shown = [
        view.agreements[0],
        view.referrals[0],
        view.interventions[0],
        view.proposals[0],
        view.participants[0],
        view.persons[0],
        view,
    ]
    for read_model in shown:
        with pytest.raises(dataclasses.FrozenInstanceError):
            read_model.pk = 0  # type: ignore[misc]
    work = worklist_actions(context_for(world["users"]["zc"])).cases
    with pytest.raises(dataclasses.FrozenInstanceError):
        work.agreements[0].text = ""  # type: ignore[misc]


def test_revealing_personal_data_is_a_separate_step_with_basis_and_reason(client, world):
    participant = share(world, "avim")
    context = context_for(world["users"]["af"])
    with pytest.raises(ValidationError):
        services.case_reveal_personal_data(
            context=context,
            participant=participant,
            legal_basis=LegalBasis.CONSENT,
            justification=" ",
        )
    with pytest.raises(ValidationError):
        services.case_reveal_personal_data(
            context=context,
            participant=participant,
            legal_basis=LegalBasis.PSEUDONYMS_ONLY,
            justification="x",
        )
    response = act(
        client,
        world["users"]["af"],
        world["case"],
        "reveal",
        {"participant": participant.pk, "legal_basis": "covenant", "justification": "Bekende"},
    )
    assert response.status_code == 302
    assert (
        VICTIM in detail(client, world["users"]["avim"], world["case"], "persons").content.decode()
    )
    assert world["case"].timeline.filter(kind="revealed", text__contains="Bekende").exists()


def test_an_organisation_taken_out_of_the_case_no_longer_sees_it_or_is_registered(client, world):
    from schakel.matching.models import Involvement

    case, zc = world["case"], world["orgs"]["zc"]
    assert Involvement.objects.filter(case_person__case=case, organisation=zc).exists()
    participant = case.participants.get(organisation=zc)
    response = act(
        client,
        world["users"]["af"],
        case,
        "unshare",
        {"participant": participant.pk, "reason": "Zorgtraject afgerond"},
    )
    assert response.status_code == 302
    assert not case.participants.filter(organisation=zc).exists()
    assert not Involvement.objects.filter(case_person__case=case, organisation=zc).exists()
    assert case.timeline.filter(kind="unshared", text__contains="Zorgtraject afgerond").exists()
    assert detail(client, world["users"]["zc"], case).status_code == 404


def test_taking_an_organisation_out_needs_a_reason_and_no_open_agreements_and_not_oneself(world):
    case, af = world["case"], world["users"]["af"]
    zc = case.participants.get(organisation=world["orgs"]["zc"])
    own = case.participants.get(organisation=world["orgs"]["af"])
    with pytest.raises(ValidationError):
        services.case_remove_participant(context=context_for(af), participant=zc, reason=" ")
    with pytest.raises(ValidationError):
        services.case_remove_participant(context=context_for(af), participant=own, reason="x")
    services.agreement_make(
        context=context_for(af),
        case=case,
        text="Opvang regelen",
        owner=world["orgs"]["zc"],
        due_on=date.today(),
    )
    with pytest.raises(ValidationError):
        services.case_remove_participant(context=context_for(af), participant=zc, reason="x")
    with pytest.raises(PermissionDenied):  # a participant cannot take another one out
        services.case_remove_participant(
            context=context_for(world["users"]["zc"]), participant=own, reason="x"
        )
    assert case.participants.count() == 2


def test_sharing_pseudonymised_still_needs_a_reason(world):
    with pytest.raises(ValidationError):
        share(world, "avim", reason="  ")


def test_only_the_netwerkregisseur_may_override_and_the_override_is_mailed(
    client, world, municipality, django_capture_on_commit_callbacks
):
    officer = user_with_role(Role.PRIVACY_OFFICER, municipality=municipality)
    officer.email = "fg@example.test"
    officer.save()
    share(world, "vt", LegalBasis.COVENANT)
    Case.objects.filter(pk=world["case"].pk).update(direction_holder=DirectionHolder.VEILIG_THUIS)
    world["case"].refresh_from_db()
    vt = context_for(world["users"]["vt"])
    with pytest.raises(PermissionDenied):  # Veilig Thuis directs and shares, but not by override
        services.case_add_participant(
            context=vt,
            case=world["case"],
            organisation=world["orgs"]["shelter"],
            legal_basis=LegalBasis.OVERRIDE,
            justification="Spoed",
        )
    response = act(
        client,
        world["users"]["vt"],
        world["case"],
        "share",
        {
            "organisation": world["orgs"]["shelter"].pk,
            "legal_basis": "override",
            "justification": "x",
        },
    )
    assert response.status_code == 400  # the override is not even offered to Veilig Thuis
    assert not world["case"].participants.filter(organisation=world["orgs"]["shelter"]).exists()
    services.case_add_participant(
        context=vt,
        case=world["case"],
        organisation=world["orgs"]["shelter"],
        legal_basis=LegalBasis.CONSENT,
        justification="Cliënt stemt in met opvang",
    )
    with django_capture_on_commit_callbacks(execute=True):
        share(world, "avim", LegalBasis.OVERRIDE, "Spoed: vannacht")
    assert mail.outbox[-1].to == ["fg@example.test"]
    assert world["case"].timeline.filter(kind="shared", text__contains="Spoed").exists()


# --- Search before create ---------------------------------------------------------------------


def test_search_before_create_never_shows_persons_from_cases_the_user_may_not_see(
    world, other_municipality, other_af_oov
):
    other_signal = SignalFactory(municipality=other_municipality, status=SignalStatus.ROUTED)
    _person(other_signal, "victim", VICTIM)
    services.case_open(
        context=context_for(other_af_oov),
        signals=[other_signal],
    )
    second = SignalFactory(municipality=world["case"].municipality, status=SignalStatus.ROUTED)
    af = context_for(world["users"]["af"])
    new_case = services.case_open(context=af, signals=[second])
    matches = selectors.case_person_matches(af, new_case, name="  oksana VERMEULEN-tkachenko ")
    assert [m.case_reference for m in matches] == [world["case"].reference]
    # A participant who sees the first case only pseudonymised gets no match from it either.
    share(world, "avim")
    services.case_add_participant(
        context=af,
        case=new_case,
        organisation=world["orgs"]["avim"],
        legal_basis=LegalBasis.COVENANT,
        justification="VCO",
    )
    assert (
        selectors.case_person_matches(context_for(world["users"]["avim"]), new_case, name=VICTIM)
        == []
    )


def test_adding_a_person_shows_the_match_first_then_links_or_adds(client, world, municipality):
    af = world["users"]["af"]
    second = SignalFactory(municipality=municipality, status=SignalStatus.ROUTED)
    new_case = services.case_open(context=context_for(af), signals=[second])
    data = {"role": "victim", "name": VICTIM, "date_of_birth": "14-03-1998", "sex": "f"}
    response = act(client, af, new_case, "person", data)
    assert response.status_code == 200
    assert 'data-testid="person-matches"' in response.content.decode()
    assert not new_case.persons.exists()  # nothing is added before the user decides
    existing = world["case"].persons.get(role="victim")
    response = act(client, af, new_case, "person", data | {"decision": existing.pk})
    assert response.status_code == 302
    linked = new_case.persons.get()
    assert linked.same_as == existing and linked.number == 1
    act(client, af, new_case, "person", data | {"name": "Iemand Anders", "decision": ""})
    assert new_case.persons.count() == 2


# --- No lost edits ----------------------------------------------------------------------------


def test_a_stale_version_is_refused_and_the_users_input_is_kept(client, world):
    case, af = world["case"], world["users"]["af"]
    opened_with = case.version
    services.case_update(
        context=context_for(world["users"]["af"]),
        case=case,
        version=opened_with,
        summary="Iemand anders was sneller",
        exploitation_forms=[],
        safety_risk_high=False,
    )
    response = act(
        client,
        af,
        case,
        "update",
        {"version": opened_with, "summary": "Mijn zorgvuldige tekst", "safety_risk_high": "on"},
    )
    text = response.content.decode()
    assert response.status_code == 409
    assert "Mijn zorgvuldige tekst" in text
    assert timezone.localtime(Case.objects.get().updated_at).strftime("%H:%M") in text
    case.refresh_from_db()
    assert case.summary == "Iemand anders was sneller"
    # Saving again from the kept input works: the form now carries the current version.
    response = act(
        client, af, case, "update", {"version": case.version, "summary": "Mijn zorgvuldige tekst"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Mijn zorgvuldige tekst"


def test_a_high_safety_risk_suggests_veilig_thuis_as_direction_holder(client, world):
    case = world["case"]
    act(
        client,
        world["users"]["af"],
        case,
        "update",
        {"version": case.version, "safety_risk_high": "on"},
    )
    assert 'data-testid="suggest-vt"' in detail(client, world["users"]["af"], case).content.decode()


# --- The timeline -----------------------------------------------------------------------------


def test_the_timeline_has_no_edit_or_delete_path_and_a_correction_points_back(client, world):
    case, zc = world["case"], world["users"]["zc"]
    act(
        client,
        zc,
        case,
        "post",
        {"kind": "contact", "text": "Gesprek 2 maart", "happened_on": "2026-03-02"},
    )
    first = case.timeline.get(kind="contact")
    for verb in ("edit", "delete", "remove"):
        assert act(client, zc, case, verb, {"entry": first.pk}).status_code == 404
    act(client, zc, case, "post", {"kind": "contact", "text": "Was 3 maart", "corrects": first.pk})
    first.refresh_from_db()
    assert first.text == "Gesprek 2 maart"
    assert case.timeline.get(corrects=first).text == "Was 3 maart"


def test_every_timeline_entry_marks_activity_and_quiet_cases_are_flagged(client, world, settings):
    settings.SCHAKEL_CASE_INACTIVITY_DAYS = 28
    case = world["case"]
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - timedelta(days=29))
    client.force_login(world["users"]["af"])
    assert "overdue-label" in client.get(reverse("cases:list")).content.decode()
    actions = worklist_actions(context_for(world["users"]["af"]))
    assert [c.pk for c in actions.cases.inactive] == [case.pk]
    services.timeline_post(
        context=context_for(world["users"]["zc"]), case=case, kind="note", text="x"
    )
    assert worklist_actions(context_for(world["users"]["af"])).cases.inactive == []


# --- Agreements -------------------------------------------------------------------------------


def test_an_overdue_agreement_is_flagged_to_its_owner_and_the_direction_holder(client, world):
    case = world["case"]
    response = act(
        client,
        world["users"]["af"],
        case,
        "agreement",
        {"text": "Intake opvang regelen", "owner": world["orgs"]["zc"].pk, "due_on": "2020-01-01"},
    )
    assert response.status_code == 302
    agreement = case.agreements.get()
    owner_view = worklist_actions(context_for(world["users"]["zc"]))
    assert [(a.pk, a.overdue) for a in owner_view.cases.agreements] == [(agreement.pk, True)]
    director_view = worklist_actions(context_for(world["users"]["af"]))
    assert [a.pk for a in director_view.cases.overdue_directed] == [agreement.pk]
    client.force_login(world["users"]["zc"])
    assert "overdue-label" in client.get(reverse("worklist:actions")).content.decode()
    act(client, world["users"]["zc"], case, "settle", {"agreement": agreement.pk, "status": "done"})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DONE


def test_an_agreement_is_owned_by_a_participant(world):
    with pytest.raises(ValidationError):
        services.agreement_make(
            context=context_for(world["users"]["af"]),
            case=world["case"],
            text="x",
            owner=world["orgs"]["avim"],
            due_on=date.today(),
        )


# --- Referrals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table", [REFERRAL_TRANSITIONS, AGREEMENT_TRANSITIONS, INSPECTION_TRANSITIONS]
)
def test_the_new_tables_allow_exactly_what_they_list(table):
    for source, target in itertools.product(table, table):
        if target in table[source]:
            check(table, source, target)
        else:
            with pytest.raises(TransitionRefused):
                check(table, source, target)


def test_a_referral_is_seen_by_the_receiver_pseudonymised_until_it_is_given_a_basis(client, world):
    case, zc, shelter = world["case"], world["users"]["zc"], world["users"]["shelter"]
    assert detail(client, shelter, case).status_code == 404
    act(
        client,
        zc,
        case,
        "referral",
        {"to_organisation": world["orgs"]["shelter"].pk, "reason": "Opvang nodig"},
    )
    referral = case.referrals.get()
    assert referral.from_organisation == world["orgs"]["zc"]
    text = detail(client, shelter, case).content.decode()
    assert "Opvang nodig" in text and VICTIM not in text
    assert [r.pk for r in worklist_actions(context_for(shelter)).cases.referrals] == [referral.pk]
    response = act(client, shelter, case, "answer", {"referral": referral.pk, "accept": "yes"})
    assert response.status_code == 302
    participant = case.participants.get(organisation=world["orgs"]["shelter"])
    assert participant.legal_basis == LegalBasis.PSEUDONYMS_ONLY
    assert VICTIM not in detail(client, shelter, case).content.decode()


def test_refused_referral_steps_by_direct_post(client, world):
    case, zc, avim = world["case"], world["users"]["zc"], world["users"]["avim"]
    referral = services.referral_make(
        context=context_for(zc),
        case=case,
        to_organisation=world["orgs"]["avim"],
        reason="Aangifte?",
    )
    # Rejecting needs a reason.
    response = act(client, avim, case, "answer", {"referral": referral.pk, "accept": "no"})
    assert response.status_code == 400
    act(
        client,
        avim,
        case,
        "answer",
        {"referral": referral.pk, "accept": "no", "answer": "Geen capaciteit"},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REJECTED
    assert detail(client, avim, case).status_code == 404  # answered: no longer visible to AVIM
    # A rejected referral cannot be accepted or revoked afterwards.
    response = act(client, zc, case, "revoke", {"referral": referral.pk, "reason": "toch niet"})
    assert response.status_code == 400
    with pytest.raises(NotFound):  # AVIM no longer sees the case at all
        services.referral_answer(context=context_for(avim), referral=referral, accept=True)
    # Only the receiving organisation answers.
    again = services.referral_make(
        context=context_for(zc), case=case, to_organisation=world["orgs"]["vt"], reason="Veiligheid"
    )
    response = act(client, zc, case, "answer", {"referral": again.pk, "accept": "yes"})
    assert response.status_code == 403  # no form is even read for whom may not answer
    again.refresh_from_db()
    assert again.status == ReferralStatus.PROPOSED


# --- Interventions and proposals through the screens ------------------------------------------


def test_executing_before_acknowledgement_is_refused_through_the_screen(client, world):
    case, avim = world["case"], world["users"]["avim"]
    share(world, "avim", LegalBasis.COVENANT)
    act(client, avim, case, "intervention", {"kind": "closure", "description": "Sluiting loods"})
    intervention = case.interventions.get()
    assert (
        'data-testid="waits-for-care"' in detail(client, avim, case, "decisions").content.decode()
    )
    response = act(client, avim, case, "execute", {"intervention": intervention.pk})
    assert response.status_code == 400
    assert "zorgco" in response.content.decode()
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.PROPOSED


def test_the_urgent_override_through_the_screen_executes_and_mails_zc_and_vt(
    client, world, django_capture_on_commit_callbacks
):
    case, avim = world["case"], world["users"]["avim"]
    share(world, "avim", LegalBasis.COVENANT)
    share(world, "vt", LegalBasis.COVENANT)
    intervention = services.intervention_propose(
        context=context_for(avim), case=case, kind="closure", description="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            client,
            avim,
            case,
            "execute",
            {"intervention": intervention.pk, "urgent_reason": "Brandgevaar, mensen slapen er"},
        )
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.EXECUTED
    assert {"vt@example.test", "zc@example.test"} <= mailed("Spoed")


def test_a_consultation_decision_posted_on_the_timeline_becomes_a_pending_proposal(client, world):
    case = world["case"]
    response = act(
        client,
        world["users"]["zc"],
        case,
        "post",
        {"kind": "decision", "decision_kind": "move_victim", "text": "Verhuizen naar opvang"},
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.PENDING
    assert not case.timeline.filter(kind="decision").exists()
    followed = client.get(response["Location"]).content.decode()
    assert 'data-testid="proposals"' in followed
    assert [p.pk for p in worklist_actions(context_for(world["users"]["af"])).cases.proposals] == [
        proposal.pk
    ]


# --- Closing ----------------------------------------------------------------------------------


def test_closing_records_outcomes_and_gives_feedback_the_public_reporter_reads(client, world):
    case, signal = world["case"], world["signal"]
    code = new_feedback_code()
    type(signal).objects.filter(pk=signal.pk).update(
        feedback_code_hash=hash_feedback_code(code, reference=signal.reference)
    )
    persons = {p.role: p for p in case.persons.all()}
    base = {
        "summary": "Afgerond",
        f"outcome_{persons['victim'].pk}": "care",
        f"outcome_{persons['perpetrator'].pk}": "disrupted",
    }
    response = act(
        client, world["users"]["af"], case, "close", base | {"feedback": f"{VICTIM} is geholpen"}
    )
    assert response.status_code == 400  # no names to the reporter
    response = act(
        client, world["users"]["af"], case, "close", base | {"feedback": "Er is hulp geboden."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert list(persons["victim"].outcomes.values_list("outcome", flat=True)) == ["care"]
    feedback = public_feedback_for(
        context_for(world["users"]["af"]), reference=signal.reference, code=code
    )
    assert feedback.feedback == "Er is hulp geboden."


def test_a_case_does_not_close_while_an_executed_intervention_has_no_outcome(world):
    share(world, "avim", LegalBasis.COVENANT)
    intervention = services.intervention_propose(
        context=context_for(world["users"]["avim"]),
        case=world["case"],
        kind="bibob",
        description="x",
    )
    services.intervention_execute(
        context=context_for(world["users"]["avim"]),
        intervention=intervention,
        urgent_reason="Acuut",
    )
    for person in CasePerson.objects.filter(case=world["case"]):
        CasePersonOutcome.objects.create(person=person, outcome="none")
    with pytest.raises(TransitionRefused):
        services.case_close(
            context=context_for(world["users"]["af"]),
            case=world["case"],
            summary="x",
            feedback="Klaar.",
        )


# --- Drafts -----------------------------------------------------------------------------------


def test_a_draft_is_encrypted_kept_for_its_author_only_and_gone_after_sending(client, world):
    case, zc, af = world["case"], world["users"]["zc"], world["users"]["af"]
    client.force_login(zc)
    client.post(
        reverse("cases:act", args=[case.reference, "post"]),
        {"post-kind": "note", "post-text": "Half af: Oksana belde", "save_draft": "1"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM core_draft")
        assert cursor.fetchone()[0].startswith("fernet:")
    assert "Half af: Oksana belde" in detail(client, zc, case, "timeline").content.decode()
    assert "Half af" not in whole_case(client, af, case)
    act(client, zc, case, "post", {"kind": "note", "text": "Half af: Oksana belde terug"})
    assert not Draft.objects.exists()


# --- Inspections ------------------------------------------------------------------------------


def test_an_inspection_is_planned_held_and_evaluated_within_the_municipality(
    client, world, other_af_oov
):
    af = world["users"]["af"]
    client.force_login(af)
    response = client.post(
        reverse("inspections:list"),
        {
            "kind": "administrative",
            "planned_for": f"{timezone.localdate():%Y-%m-%d}T10:00",
            "premises": "Loods Oosthaven",
            "purpose": "Huisvesting controleren",
            "case": world["case"].reference,
        },
    )
    assert response.status_code == 302
    inspection = world["case"].inspections.get()
    client.post(
        reverse("inspections:act", args=[inspection.pk, "findings"]),
        {"findings-findings": "Slaapplekken"},
    )
    client.post(
        reverse("inspections:act", args=[inspection.pk, "evaluate"]),
        {"evaluate-evaluation": "Goed"},
    )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.EVALUATED
    assert world["case"].timeline.filter(kind="inspection").count() == 3
    client.force_login(other_af_oov)
    assert client.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 404


def test_participants_stay_out_of_a_case_they_do_not_take_part_in(world):
    with pytest.raises(NotFound):  # a case one may not see does not exist for them
        services.timeline_post(
            context=context_for(world["users"]["avim"]), case=world["case"], kind="note", text="x"
        )
    assert not CaseParticipant.objects.filter(organisation=world["orgs"]["avim"]).exists()


def test_the_demo_case_shows_names_to_the_zc_and_pseudonyms_to_the_labour_inspectorate(
    client, demo_settings
):
    from django.core.management import call_command

    from schakel.organisations.models import User

    call_command("load_demo")
    case = Case.objects.get(status="open")  # the demo's case; its history is closed
    for username, sees_name in (("af.oov", True), ("zorgcoordinator", True), ("iszw", False)):
        text = whole_case(client, User.objects.get(username=username), case)
        assert ("Radu Ilievescu" in text) is sees_name, username
    client.force_login(User.objects.get(username="zorgcoordinator"))
    assert "Intakegesprek" in client.get(reverse("worklist:actions")).content.decode()
    for username in ("bestuur", "beheer", "hotel"):
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 403


def test_sharing_names_and_revealing_them_are_in_the_persons_access_trail(world):
    case, af = world["case"], world["users"]["af"]
    victim = case.persons.get(role="victim")
    key = f"cases.CasePerson:{victim.pk}"
    share(world, "vt")  # pseudonyms only: nobody new sees the name
    assert key not in AuditEvent.objects.filter(purpose="case shared").latest("id").subjects
    participant = case.participants.get(organisation=world["orgs"]["vt"])
    services.case_reveal_personal_data(
        context=context_for(af),
        participant=participant,
        legal_basis=LegalBasis.CONSENT,
        justification="Betrokkene stemde in",
    )
    assert key in AuditEvent.objects.filter(purpose="case revealed").latest("id").subjects
    share(world, "avim", basis=LegalBasis.COVENANT)
    assert key in AuditEvent.objects.filter(purpose="case shared").latest("id").subjects


# --- The case page as a workspace: sections, actions beside what they act on, a paged timeline


SECTION_READERS = (
    "af",
    "zc",
    "avim",
)  # the netwerkregisseur, a covenant participant, pseudonymised


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_is_a_page_of_its_own_for_whoever_may_see_the_case(client, world, section):
    share(world, "avim")
    for who in SECTION_READERS:
        response = detail(client, world["users"][who], world["case"], section)
        assert response.status_code == 200, who
        text = response.content.decode()
        nav = re.search(r'<nav class="case-sections" aria-label="[^"]+".*?</nav>', text, re.S)
        assert nav, who
        current = re.findall(r'<a href="([^"]+)" aria-current="page">', nav.group(0))
        assert current == [response.wsgi_request.path], who
    # The shelter takes no part in the case: no section of it opens, just as the overview.
    refused = detail(client, world["users"]["shelter"], world["case"]).status_code
    assert refused in (403, 404)
    assert detail(client, world["users"]["shelter"], world["case"], section).status_code == refused


def test_an_unknown_section_is_not_found(client, world):
    client.force_login(world["users"]["af"])
    url = reverse("cases:section", args=[world["case"].reference, "nonsense"])
    assert client.get(url).status_code == 404


def test_the_overview_shows_what_needs_doing_and_the_latest_entries(client, world):
    case = world["case"]
    services.agreement_make(
        context=context_for(world["users"]["af"]),
        case=case,
        text="Opvang regelen",
        owner=world["orgs"]["zc"],
        due_on=date.today() - timedelta(days=3),
    )
    text = detail(client, world["users"]["af"], case).content.decode()
    to_do = re.search(r'data-testid="to-do">(.*?)</ul>', text, re.S).group(1)
    assert "Opvang regelen" in to_do
    assert reverse("cases:section", args=[case.reference, "agreements"]) in to_do
    assert 'data-testid="timeline-latest"' in text
    # The forms of other sections are not on the overview.
    assert 'id="action-agreement"' not in text and 'id="action-post"' not in text


def _section_of(text):
    return re.search(r'<a href="([^"]+)" aria-current="page">', text).group(1)


def test_a_refused_action_reopens_its_section_with_the_error_beside_the_form(client, world):
    case = world["case"]
    response = act(client, world["users"]["af"], case, "agreement", {"text": "", "due_on": "x"})
    assert response.status_code == 400
    text = response.content.decode()
    assert _section_of(text) == reverse("cases:section", args=[case.reference, "agreements"])
    # At the top: the step was not carried out, with a link to the form.
    alert = re.search(
        r'<div class="utrecht-alert utrecht-alert--error"[^>]*>(.*?)</div></div>', text, re.S
    )
    assert alert and 'href="#action-agreement"' in alert.group(1)
    assert text.index("utrecht-alert--error") < text.index('id="action-agreement"')
    # The form is open, its error summary inside it, next to the fields.
    form = re.search(
        r'<details class="case-action" id="action-agreement" open.*?</details>', text, re.S
    )
    assert form and "error-summary" in form.group(0)
    # The other forms of the section stay closed.
    assert not re.search(r'<details[^>]* id="action-(?!agreement")[^"]*" open', text)
    assert not case.agreements.exists()


def test_a_refused_row_action_opens_beside_its_row(client, world):
    case, avim = world["case"], world["users"]["avim"]
    share(world, "avim", LegalBasis.COVENANT)
    intervention = services.intervention_propose(
        context=context_for(avim), case=case, kind="closure", description="Sluiting loods"
    )
    response = act(client, avim, case, "execute", {"intervention": intervention.pk})
    assert response.status_code == 400
    text = response.content.decode()
    assert _section_of(text) == reverse("cases:section", args=[case.reference, "decisions"])
    anchor = f"action-execute-{intervention.pk}"
    assert f'href="#{anchor}"' in text
    row = re.search(rf'<details class="case-action" id="{anchor}" open.*?</details>', text, re.S)
    assert row and "zorgco" in row.group(0)


def test_a_successful_action_returns_to_its_section(client, world):
    case = world["case"]
    response = act(client, world["users"]["zc"], case, "post", {"kind": "note", "text": "Gebeld"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:section", args=[case.reference, "timeline"])


def _entries(case, count, actor=None):
    """`count` notes on the timeline, a minute apart, every pair at the same instant (so the
    order falls back on the id)."""
    start = timezone.now() - timedelta(days=30)
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            case=case,
            kind="note",
            text=f"Notitie {n:03d}",
            occurred_at=start + timedelta(minutes=n // 2),
            actor=actor,
        )
        for n in range(count)
    )


def test_the_timeline_shows_the_newest_fifty_and_pages_back_without_gaps(client, world):
    case = world["case"]
    _entries(case, 120, world["users"]["zc"])
    client.force_login(world["users"]["zc"])
    url = reverse("cases:section", args=[case.reference, "timeline"])
    seen, pages = [], 0
    while url:
        text = client.get(url).content.decode()
        notes = re.findall(
            r"Notitie (\d{3})", re.search(r'id="timeline-entries">(.*?)</ol>', text, re.S).group(1)
        )
        ids = [int(pk) for pk in re.findall(r'<li id="entry-(\d+)"', text)]
        assert len(ids) <= selectors.TIMELINE_PAGE
        seen += notes
        pages += 1
        more = re.search(r'href="([^"]+\?voor=\d+)" data-testid="timeline-earlier"', text)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert pages == 3
    # Newest first, each note once, none skipped (the entries of opening the case come last).
    assert seen == [f"{n:03d}" for n in range(119, -1, -1)]


def test_a_correction_on_a_newer_page_still_marks_the_entry_it_corrects(client, world):
    case, zc = world["case"], world["users"]["zc"]
    first = TimelineEntry.objects.create(
        case=case, kind="note", text="Fout", occurred_at=timezone.now() - timedelta(days=60)
    )
    _entries(case, 60, zc)
    services.timeline_post(
        context=context_for(zc), case=case, kind="note", text="Goed", corrects=first
    )
    client.force_login(zc)
    url = reverse("cases:section", args=[case.reference, "timeline"])
    newest = client.get(url).content.decode()
    assert f'id="entry-{first.pk}"' not in newest
    older = re.search(r'href="([^"]+\?voor=\d+)" data-testid="timeline-earlier"', newest).group(1)
    text = client.get(older).content.decode()
    entry = re.search(rf'<li id="entry-{first.pk}">.*?</li>', text, re.S).group(0)
    assert "Later gecorrigeerd" in entry


@pytest.mark.parametrize("section", ["overview", "timeline"])
def test_the_case_page_costs_the_same_queries_with_5_or_120_timeline_entries(
    client, world, section
):
    from django.test.utils import CaptureQueriesContext

    case = world["case"]
    client.force_login(world["users"]["zc"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = detail(client, world["users"]["zc"], case, section)
        assert response.status_code == 200
        return len(captured)

    _entries(case, 5, world["users"]["zc"])
    few = queries()
    _entries(case, 115, world["users"]["af"])
    assert queries() == few
