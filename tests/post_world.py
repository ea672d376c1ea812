"""The world the POST matrix acts in (tests/test_authorization_posts.py): two municipalities of
one region, each with signals in three states, a case with every kind of row and a closable case,
a held and a planned case meeting, inspections; in the own municipality also the partners the
rules speak of: a participant that sees names under the covenant, one that sees pseudonyms, one
that only received a referral, a covered and an uncovered invitee, an AF OOV whose organisation
is not invited, and a user with two memberships. A covenant covering case meetings makes
"covered" real. Every free text of a case names its person, so pseudonymisation is tested where
a page re-renders a form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from schakel.cases.choices import (
    DecisionKind,
    InterventionStatus,
    LegalBasis,
    PersonOutcome,
    ProposalStatus,
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
from schakel.core.context import AccessContext
from schakel.core.crypto import blind_index
from schakel.core.policies import actor_for
from schakel.inspections.models import Inspection
from schakel.intake.choices import Routing, SignalStatus
from schakel.intake.models import Signal, SignalAttachment, SignalPerson
from schakel.matching import services as matching
from schakel.meetings.choices import MeetingStatus
from schakel.meetings.models import AgendaItem, Attendance, Meeting
from schakel.organisations.choices import MeetingType, OrganisationKind, Role, SubNetwork
from schakel.organisations.models import Membership, Municipality, Organisation, User
from schakel.organisations.services import covenant_ensure

from .factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SignalFactory,
    user_with_role,
)

SCOPES = ("own", "other")


@dataclass(frozen=True)
class Person:
    """What identifies a person: none of it may reach a viewer who sees pseudonyms."""

    name: str
    date_of_birth: str
    nationality: str
    given_names: str
    surname: str

    @property
    def tokens(self) -> tuple[str, ...]:
        """Each part of the name on its own: a pseudonymised text must not keep a surname."""
        return (self.given_names, self.surname, self.date_of_birth, self.nationality)


PERSONS = {
    "own": Person("Irina Kowalczyk", "03-11-1987", "Nauruaans", "Irina", "Kowalczyk"),
    "other": Person("Marek Nowicki", "21-06-1979", "Tuvaluaans", "Marek", "Nowicki"),
}
DESCRIPTIONS = {"own": "OWN-DESCRIPTION-7Q", "other": "OTHER-DESCRIPTION-9Z"}
PLACE = "Loods Oosthaven"

# The partners beyond "a role in its own municipality": key → (acting role, how it stands).
PARTNERS = {
    "zc_named": Role.ZORGCOORDINATOR,  # participant on the covenant; invited, covered, present
    "iszw_pseudo": Role.ISZW,  # participant with pseudonyms only
    "care_referred": Role.AF_ZORG,  # a care provider a referral waits for
    "avim_covered": Role.AVIM,  # invited and party to the covenant, not in the case
    "ovj_uncovered": Role.OVJ,  # invited, party to no covenant, not in the case
    "af_uncovered": Role.AF_OOV,  # the municipality's AF OOV in an organisation not invited
}
TWO_HATS = ("two_hats", "two_hats:af", "two_hats:reporter")


@dataclass
class Scope:
    """What one municipality holds."""

    municipality: Municipality
    director: User
    organisation: Organisation
    signals: dict[str, Signal] = field(default_factory=dict)  # main, new, loose
    cases: dict[str, Case] = field(default_factory=dict)  # main, closable
    meetings: dict[str, Meeting] = field(default_factory=dict)  # held, planned
    items: dict[str, AgendaItem] = field(default_factory=dict)  # signal, case
    agreement: Agreement | None = None
    referral: Referral | None = None
    interventions: dict[str, Intervention] = field(default_factory=dict)  # by status
    proposal: Proposal | None = None
    entry: TimelineEntry | None = None
    inspections: dict[str, Inspection] = field(default_factory=dict)  # planned, held
    participants: dict[str, CaseParticipant] = field(default_factory=dict)


@dataclass
class PostWorld:
    scopes: dict[str, Scope]
    users: dict[str, User]  # actor key → user
    acting: dict[str, Membership | None]  # actor key → chosen membership (None: not chosen)
    orgs: dict[str, Organisation]
    matching: dict[str, object]
    # The own municipality's annual report of last year, with a goal and a section to change.
    report: dict[str, object] = field(default_factory=dict)
    # The partner network's objects per scope (tests/factories_network.py post_world_network).
    network: dict[str, dict[str, object]] = field(default_factory=dict)
    # Per municipality a draft self-assessment of last year, every condition answered, with one
    # piece of evidence (tests/test_authorization_posts.py, assessment_cells).
    assessments: dict[str, dict[str, object]] = field(default_factory=dict)

    def __getitem__(self, scope: str) -> Scope:
        return self.scopes[scope]


def _context(user: User, membership: Membership | None = None) -> AccessContext:
    return AccessContext(
        actor=actor_for(user, membership.pk if membership else None), access_point="test"
    )


def _signal(municipality: Municipality, status: str, **fields: object) -> Signal:
    """In the same place as the municipality's other signals: each is a candidate to link."""
    return SignalFactory(
        municipality=municipality, status=status, place=f"{PLACE} {status}", **fields
    )


def _signals(scope: str, municipality: Municipality) -> dict[str, Signal]:
    person = PERSONS[scope]
    main = _signal(
        municipality,
        SignalStatus.ROUTED,
        description=DESCRIPTIONS[scope],
        routing=Routing.CASE_MEETING,
        routed_at=timezone.now(),
        picked_up_at=timezone.now(),
        feedback="Dank voor uw melding; wij zijn ermee aan de slag.",
        feedback_at=timezone.now(),
    )
    SignalPerson.objects.create(
        signal=main,
        role="victim",
        name=person.name,
        name_index=blind_index(person.name, purpose="person-name"),
        date_of_birth=person.date_of_birth,
        nationality=person.nationality,
    )
    attachment = SignalAttachment(
        signal=main, original_name="a.pdf", content_type="application/pdf", size=4, sha256="x"
    )
    attachment.file.save("upload", ContentFile(b"%PDF"), save=True)
    return {
        "main": main,
        "new": _signal(municipality, SignalStatus.NEW),
        "loose": _signal(municipality, SignalStatus.IN_PROGRESS),
    }


def _case(scope: Scope, key: str, reference: str, partners: dict[str, Organisation]) -> Case:
    person = PERSONS[key]
    case = Case.objects.create(
        reference=reference,
        municipality=scope.municipality,
        summary=f"Situatie rond {person.name} in de loods.",
    )
    scope.participants[f"{reference}:director"] = CaseParticipant.objects.create(
        case=case,
        organisation=scope.organisation,
        legal_basis=LegalBasis.COVENANT,
        justification="netwerkregisseur",
        added_by=scope.director,
    )
    for partner, basis in (
        ("zc", LegalBasis.COVENANT),
        ("iszw", LegalBasis.PSEUDONYMS_ONLY),
        ("bd", LegalBasis.PSEUDONYMS_ONLY),  # owns nothing: it can be taken out of the case
    ):
        if partner in partners:
            scope.participants[f"{reference}:{partner}"] = CaseParticipant.objects.create(
                case=case,
                organisation=partners[partner],
                legal_basis=basis,
                justification=f"Meedenken over {person.name}",
                added_by=scope.director,
            )
    if "care" in partners:
        referral = Referral.objects.create(
            case=case,
            from_organisation=scope.organisation,
            to_organisation=partners["care"],
            reason=f"Opvang voor {person.name}",
            made_by=scope.director,
        )
        scope.referral = scope.referral or referral
    return case


def _victim(case: Case, person: Person, **fields: str) -> CasePerson:
    return CasePerson.objects.create(
        case=case,
        role="victim",
        number=1,
        name=person.name,
        name_index=blind_index(person.name, purpose="person-name"),
        date_of_birth=person.date_of_birth,
        nationality=person.nationality,
        **fields,
    )


def _main_case(scope: Scope, key: str, partners: dict[str, Organisation]) -> Case:
    person = PERSONS[key]
    case = _case(scope, key, f"ZK-P-{key.upper()}", partners)
    case.signals.add(scope.signals["main"])
    _victim(case, person, sex="f")
    for owner in (partners.get("iszw"), partners.get("zc", scope.organisation)):
        if owner is not None:  # the last made, the covenant partner's, is the one to settle
            scope.agreement = Agreement.objects.create(
                case=case,
                text=f"Intake met {person.name}",
                owner=owner,
                due_on=timezone.localdate() + timedelta(days=7),
                made_by=scope.director,
            )
    for status in (
        InterventionStatus.PROPOSED,
        InterventionStatus.ACKNOWLEDGED,
        InterventionStatus.EXECUTED,
    ):
        scope.interventions[status] = Intervention.objects.create(
            case=case,
            kind="closure",
            status=status,
            description=f"Sluiting van de loods waar {person.name} sliep",
            proposed_by=scope.director,
        )
    scope.proposal = Proposal.objects.create(
        case=case,
        kind=DecisionKind.MOVE_VICTIM,
        text=f"{person.name} verhuist naar een andere opvang",
        status=ProposalStatus.PENDING,
        proposed_by=scope.director,
        proposed_by_organisation=scope.organisation,
    )
    scope.entry = TimelineEntry.objects.create(
        case=case,
        kind="contact",
        text=f"Gesproken met {person.name}",
        organisation=scope.organisation,
        actor=scope.director,
    )
    return case


def _closable_case(scope: Scope, key: str, partners: dict[str, Organisation]) -> Case:
    """Nothing hangs in it: closing it succeeds."""
    person = PERSONS[key]
    case = _case(scope, key, f"ZK-C-{key.upper()}", partners)
    victim = _victim(case, person)
    CasePersonOutcome.objects.create(person=victim, outcome=PersonOutcome.REFERRED_TO_CARE)
    return case


def _meetings(scope: Scope, invited: list[Organisation], present: list[Membership]) -> None:
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for status in (MeetingStatus.HELD, MeetingStatus.PLANNED):
        meeting = Meeting.objects.create(
            municipality=scope.municipality,
            meeting_type=MeetingType.CASE_MEETING,
            scheduled_for=today,
            status=status,
            created_by=scope.director,
        )
        meeting.invited.set([scope.organisation, *invited])
        scope.meetings[status] = meeting
    held = scope.meetings[MeetingStatus.HELD]
    for membership in present:
        Attendance.objects.create(meeting=held, membership=membership, recorded_by=scope.director)
    scope.items["signal"] = AgendaItem.objects.create(
        meeting=held, position=1, signal=scope.signals["main"]
    )
    scope.items["case"] = AgendaItem.objects.create(
        meeting=held, position=2, case=scope.cases["main"]
    )


def _inspections(scope: Scope) -> None:
    for status in ("planned", "held"):
        scope.inspections[status] = Inspection.objects.create(
            municipality=scope.municipality,
            planned_for=timezone.now(),
            premises=PLACE,
            purpose="Controle",
            status=status,
            planned_by=scope.director,
        )


def _matching(world_users: dict[str, User]) -> dict[str, object]:
    """The covenant partner registered the own person; the police looked them up twice: one
    hit still to decide, one confirmed with a task for each side."""
    person = PERSONS["own"]
    subject = matching.Person(
        given_names=person.given_names,
        surname=person.surname,
        date_of_birth=date(1987, 11, 3),
    )
    holder = _context(world_users["zc_named"])
    registration = matching.involvement_register(
        context=holder, person=subject, contact_person="Z. Coördinator"
    )
    seeker = _context(world_users["avim_covered"])
    hits = []
    for _ in range(2):
        found = matching.involvement_lookup(
            seeker,
            given_names=person.given_names,
            surname=person.surname,
            date_of_birth=date(1987, 11, 3),
        )
        assert found.hit, "the police's lookup must hit the covenant partner's registration"
        hits.append(found.hits[0])
    confirmed = matching.hit_decide(context=seeker, hit=hits[1], confirm=True)
    return {
        "registration": registration,
        "hit": hits[0],
        "task": confirmed.tasks.get(
            organisation=world_users["avim_covered"].memberships.get().organisation
        ),
    }


C, P = SubNetwork.VICTIM_CARE, SubNetwork.PERPETRATOR
REGIONAL = [
    ("zc", "Zorgcoördinatie", OrganisationKind.CARE_COORDINATION, C),
    ("iszw", "Arbeidsinspectie", OrganisationKind.LABOUR_INSPECTORATE, P),
    ("bd", "Belastingdienst", OrganisationKind.TAX_AUTHORITY, P),
    ("care", "Opvang", OrganisationKind.CARE_PROVIDER, C),
    ("avim", "AVIM", OrganisationKind.POLICE, P),
    ("om", "OM", OrganisationKind.PROSECUTION, P),
    # Where the other municipality refers to; nobody of the matrix works there.
    ("care_other", "Opvang elders", OrganisationKind.CARE_PROVIDER, C),
]


def build_post_world() -> PostWorld:
    own = MunicipalityFactory(name="Eigen")
    other = MunicipalityFactory(name="Ander", region=own.region)
    region = own.region
    orgs = {
        key: OrganisationFactory(
            name=name, kind=kind, municipality=None, region=region, sub_network=sub_network
        )
        for key, name, kind, sub_network in REGIONAL
    }
    scopes: dict[str, Scope] = {}
    for key, municipality in (("own", own), ("other", other)):
        organisation = OrganisationFactory(
            name=f"OOV {municipality.name}", municipality=municipality
        )
        director = user_with_role(Role.AF_OOV, organisation=organisation)
        scopes[key] = Scope(municipality, director, organisation)
        orgs[f"oov_{key}"] = organisation
    covenant_ensure(
        name="Convenant slachtoffers",
        region=region,
        legal_basis="art. 4",
        valid_from=date(2024, 1, 1),
        parties=[orgs["oov_own"], orgs["oov_other"], orgs["zc"], orgs["avim"]],
        meeting_types=[MeetingType.CASE_MEETING],
    )
    users: dict[str, User] = {}
    acting: dict[str, Membership | None] = {}
    for role in Role:
        if role == Role.AF_OOV:
            users[role] = scopes["own"].director
        elif role == Role.PARTNER_REPORTER:
            hotel = OrganisationFactory(
                municipality=own, kind=OrganisationKind.HOTEL, sub_network=SubNetwork.SIGNALLERS
            )
            users[role] = user_with_role(role, organisation=hotel)
        else:
            users[role] = user_with_role(role, municipality=own)
    partner_orgs = {
        "zc_named": orgs["zc"],
        "iszw_pseudo": orgs["iszw"],
        "care_referred": orgs["care"],
        "avim_covered": orgs["avim"],
        "ovj_uncovered": orgs["om"],
        "af_uncovered": OrganisationFactory(name="OOV Eigen, tweede", municipality=own),
    }
    for key, role in PARTNERS.items():
        users[key] = user_with_role(role, organisation=partner_orgs[key])
    two_hats = user_with_role(Role.AF_OOV, organisation=orgs["oov_own"])
    reporter = MembershipFactory(
        user=two_hats,
        role=Role.MUNICIPAL_REPORTER,
        organisation=OrganisationFactory(name="Burgerzaken Ander", municipality=other),
    )
    for key in TWO_HATS:
        users[key] = two_hats
    acting["two_hats"] = None
    acting["two_hats:af"] = two_hats.memberships.get(role=Role.AF_OOV)
    acting["two_hats:reporter"] = reporter

    for key, scope in scopes.items():
        partners = (
            {"zc": orgs["zc"], "iszw": orgs["iszw"], "bd": orgs["bd"], "care": orgs["care"]}
            if key == "own"
            else {"care": orgs["care_other"]}
        )
        scope.signals = _signals(key, scope.municipality)
        scope.cases["main"] = _main_case(scope, key, partners)
        scope.cases["closable"] = _closable_case(scope, key, partners)
        invited = [orgs["zc"], orgs["avim"], orgs["om"]] if key == "own" else []
        present = [scope.director.memberships.get()]
        if key == "own":
            present.append(users["zc_named"].memberships.get())
        _meetings(scope, invited, present)
        _inspections(scope)
    world = PostWorld(scopes, users, acting, orgs, _matching(users), _report(own))
    from .factories_network import post_world_network

    world.network = post_world_network(own, other, orgs["zc"])
    world.assessments = {key: _assessment(scope.municipality) for key, scope in scopes.items()}
    return world


def _assessment(municipality: Municipality) -> dict[str, object]:
    from schakel.assessment.models import Answer, Assessment, Evidence, ModelVersion

    version = ModelVersion.objects.order_by("-loaded_at").first()
    assessment = Assessment.objects.create(
        municipality=municipality, year=timezone.localdate().year - 1, model_version=version
    )
    for condition in version.conditions.all():
        answer = Answer.objects.create(assessment=assessment, condition=condition, level=2)
    evidence = Evidence.objects.create(answer=answer, kind="document", title="Beleidsplan")
    return {"assessment": assessment, "evidence": evidence}


def _report(municipality: Municipality) -> dict[str, object]:
    from schakel.monitoring.models import AnnualReport, ReportGoal, ReportSection

    report = AnnualReport.objects.create(
        municipality=municipality, year=timezone.localdate().year - 1
    )
    return {
        "report": report,
        "goal": ReportGoal.objects.create(report=report, year_kind="this", text="Meer signalen"),
        "section": ReportSection.objects.create(report=report, title="Inleiding", body="Tekst"),
    }
