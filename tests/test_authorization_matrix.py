"""Every URL, for every role, on objects of the own and of another municipality: the expected
status, and no personal data where it must not be. A URL without a rule here fails the test."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from schakel.cases.choices import LegalBasis
from schakel.cases.models import Case, CaseParticipant, CasePerson
from schakel.core.access import ACCESS_ATTRIBUTE
from schakel.core.crypto import blind_index
from schakel.inspections.choices import InspectionKind, InspectionStatus, NoticeKind
from schakel.inspections.models import Inspection, InspectionNotice
from schakel.intake.models import SignalAttachment, SignalPerson
from schakel.meetings.choices import MeetingStatus
from schakel.meetings.models import AgendaItem, Meeting
from schakel.organisations.choices import (
    MeetingType,
    OrganisationKind,
    Role,
    SubNetwork,
)
from schakel.organisations.models import Organisation

from .factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SignalFactory,
    user_with_role,
)
from .factories_network import matrix_network_object, matrix_session
from .roles import CASE_ROLES, INSPECTION_ROLES, REPORTING_ROLES, ROLES_WITH_PERSONAL_DATA
from .test_signal_cards import pdf_pages_and_text

OWN_NAME, OTHER_NAME = "Irina Kowalczyk", "Marek Nowicki"
OWN_TEXT, OTHER_TEXT = "OWN-DESCRIPTION-7Q", "OTHER-DESCRIPTION-9Z"


def url_names():
    def walk(patterns, namespace=None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace != "admin":
                yield f"{namespace}:{entry.name}" if namespace else entry.name

    return sorted(set(walk(get_resolver().url_patterns)))


def role_in(*roles):
    return lambda role, scope: role in roles


def reporter_or_receiver(role, scope):
    return role in REPORTING_ROLES or role == Role.AF_OOV


def signal_page(role, scope):
    """The receiving AF reads its own municipality's signals; for anyone else who may open
    signals at all, someone else's signal does not exist (404); the rest are refused (403)."""
    if role == Role.AF_OOV and scope == "own":
        return 200
    return 404 if reporter_or_receiver(role, scope) else 403


def everyone(status):
    return lambda role, scope: status


def only(roles, status=200):
    return lambda role, scope: status if role in roles else 403


PRIVACY = {Role.PRIVACY_OFFICER}
MATCHING = {
    r for r in ROLES_WITH_PERSONAL_DATA if r not in (Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER)
}


def meeting_page(role, scope):
    """The netwerkregisseur organises the own municipality's meetings; for other case roles a
    meeting they were not invited to does not exist (404); everyone else is refused (403)."""
    if role == Role.AF_OOV and scope == "own":
        return 200
    return 404 if role in CASE_ROLES else 403


def meeting_url(name, *extra):
    def build(w, s):
        meeting = w["meetings"][s]
        parts = {
            "item": lambda: meeting.agenda.first().pk,
            "proposal": lambda: 1,
            "intervention": lambda: 1,
            "action": lambda: "build-agenda",
        }
        return reverse(name, args=[meeting.pk, *(parts[e]() for e in extra)])

    return build


# name → (how to build the URL, expected status for (role, scope))
RULES = {
    "home": (lambda w, s: reverse("home"), everyone(200)),
    "healthz": (lambda w, s: reverse("healthz"), everyone(200)),
    "favicon": (lambda w, s: reverse("favicon"), everyone(200)),
    "login": (lambda w, s: reverse("login"), everyone(302)),  # logged in: on to the start page
    "logout": (lambda w, s: reverse("logout"), everyone(405)),  # POST only
    "set_language": (lambda w, s: reverse("set_language"), everyone(302)),
    "accounts:security": (lambda w, s: reverse("accounts:security"), everyone(200)),
    "accounts:act_as": (lambda w, s: reverse("accounts:act_as"), everyone(200)),
    "accounts:enrol": (lambda w, s: reverse("accounts:enrol"), everyone(200)),
    "accounts:verify": (lambda w, s: reverse("accounts:verify"), everyone(302)),  # no device
    "accounts:recovery_codes": (lambda w, s: reverse("accounts:recovery_codes"), everyone(302)),
    "accounts:turn_off": (lambda w, s: reverse("accounts:turn_off"), everyone(405)),
    "accounts:rights_review": (
        lambda w, s: reverse("accounts:rights_review"),
        only({Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN}),
    ),
    "accounts:rights_review_export": (
        lambda w, s: reverse("accounts:rights_review_export"),
        only({Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN}),
    ),
    "intake:public_report": (lambda w, s: reverse("intake:public_report"), everyone(200)),
    "intake:public_feedback": (lambda w, s: reverse("intake:public_feedback"), everyone(200)),
    "intake:report": (lambda w, s: reverse("intake:report"), only(REPORTING_ROLES)),
    "intake:mine": (lambda w, s: reverse("intake:mine"), only(REPORTING_ROLES)),
    "intake:queue": (lambda w, s: reverse("intake:queue"), only({Role.AF_OOV})),
    "intake:detail": (lambda w, s: reverse("intake:detail", args=[w[s].reference]), signal_page),
    "intake:received": (
        lambda w, s: reverse("intake:received", args=[w[s].reference]),
        signal_page,
    ),
    "intake:attachment": (
        lambda w, s: reverse("intake:attachment", args=[w[s].reference, w[s].attachments.get().pk]),
        signal_page,
    ),
    "intake:handle": (
        lambda w, s: reverse("intake:handle", args=[w[s].reference, "pick-up"]),
        only({Role.AF_OOV}, 405),  # GET is never a change
    ),
    "privacy:subjects": (lambda w, s: reverse("privacy:subjects"), only(PRIVACY)),
    "privacy:subject": (
        lambda w, s: reverse("privacy:subject", args=[w[s].persons.get().pk]),
        only(PRIVACY),
    ),
    "privacy:subject_correct": (
        lambda w, s: reverse("privacy:subject_correct", args=[w[s].persons.get().pk]),
        only(PRIVACY, 405),
    ),
    "privacy:subject_export": (
        lambda w, s: reverse("privacy:subject_export", args=[w[s].persons.get().pk]),
        only(PRIVACY),
    ),
    "privacy:case_subject": (
        lambda w, s: reverse("privacy:case_subject", args=[w["cases"][s].persons.get().pk]),
        only(PRIVACY),
    ),
    "privacy:case_subject_correct": (
        lambda w, s: reverse("privacy:case_subject_correct", args=[w["cases"][s].persons.get().pk]),
        only(PRIVACY, 405),
    ),
    "privacy:case_subject_export": (
        lambda w, s: reverse("privacy:case_subject_export", args=[w["cases"][s].persons.get().pk]),
        only(PRIVACY),
    ),
    "matching:register": (lambda w, s: reverse("matching:register"), only(MATCHING)),
    "matching:registrations": (lambda w, s: reverse("matching:registrations"), only(MATCHING)),
    "matching:end": (lambda w, s: reverse("matching:end", args=[1]), only(MATCHING, 404)),
    "matching:lookup": (lambda w, s: reverse("matching:lookup"), only(MATCHING)),
    "matching:result": (
        lambda w, s: reverse("matching:result", args=["00000000-0000-0000-0000-000000000000"]),
        only(MATCHING, 404),  # someone else's (here: no) lookup does not exist
    ),
    "matching:hits": (lambda w, s: reverse("matching:hits"), only(MATCHING)),
    "matching:decide": (lambda w, s: reverse("matching:decide", args=[1]), only(MATCHING, 405)),
    "matching:task_status": (
        lambda w, s: reverse("matching:task_status", args=[1]),
        only(MATCHING, 405),
    ),
    "meetings:list": (lambda w, s: reverse("meetings:list"), only(CASE_ROLES)),
    "meetings:plan": (lambda w, s: reverse("meetings:plan"), only({Role.AF_OOV})),
    "meetings:detail": (meeting_url("meetings:detail"), meeting_page),
    "meetings:pdf": (meeting_url("meetings:pdf"), meeting_page),
    "meetings:item": (meeting_url("meetings:item", "item"), meeting_page),
    "meetings:act": (meeting_url("meetings:act", "action"), only(CASE_ROLES, 405)),
    "meetings:decide_proposal": (
        meeting_url("meetings:decide_proposal", "proposal"),
        only(CASE_ROLES, 405),
    ),
    "meetings:acknowledge": (
        meeting_url("meetings:acknowledge", "intervention"),
        only(CASE_ROLES, 405),
    ),
    "audit:log": (lambda w, s: reverse("audit:log"), only(PRIVACY)),
    "audit:export": (lambda w, s: reverse("audit:export"), only(PRIVACY)),
    "catalogue:cards": (lambda w, s: reverse("catalogue:cards"), everyone(200)),
    "catalogue:card": (
        lambda w, s: reverse("catalogue:card", args=[w[s].municipality.cbs_code, "public"]),
        everyone(200),
    ),
    "catalogue:card_pdf": (
        lambda w, s: reverse("catalogue:card_pdf", args=[w[s].municipality.cbs_code, "brp"]),
        everyone(200),
    ),
}


def case_page(role, scope):
    """The netwerkregisseur opens the own municipality's case; another case role is not a
    participant of either case here, so for it neither exists; other roles are refused."""
    if role == Role.AF_OOV and scope == "own":
        return 200
    return 404 if role in CASE_ROLES else 403


# The own municipality's inspection tells the region's AVIM and zorgcoördinatie beforehand and
# has the labour inspectorate taking part (see `world` and `user_for`).
INSPECTION_SEEN = INSPECTION_ROLES | {Role.AVIM, Role.ZORGCOORDINATOR, Role.ISZW}


def inspection_page(role, scope):
    """Those who inspect in the own municipality, the organisations taking part and those told
    beforehand open the own inspection; for other case roles neither exists; the rest are
    refused."""
    if role in INSPECTION_SEEN and scope == "own":
        return 200
    return 404 if role in CASE_ROLES else 403


RULES |= {
    "cases:list": (lambda w, s: reverse("cases:list"), only(CASE_ROLES)),
    "cases:shared": (lambda w, s: reverse("cases:shared"), only(CASE_ROLES)),
    "worklist:actions": (lambda w, s: reverse("worklist:actions"), only(CASE_ROLES)),
    "cases:open": (lambda w, s: reverse("cases:open"), only({Role.AF_OOV})),
    "cases:detail": (
        lambda w, s: reverse("cases:detail", args=[w["cases"][s].reference]),
        case_page,
    ),
    "cases:section": (
        lambda w, s: reverse("cases:section", args=[w["cases"][s].reference, "persons"]),
        case_page,
    ),
    "cases:act": (
        lambda w, s: reverse("cases:act", args=[w["cases"][s].reference, "post"]),
        only(CASE_ROLES, 405),  # GET is never a change
    ),
    "inspections:list": (lambda w, s: reverse("inspections:list"), only(CASE_ROLES)),
    "inspections:detail": (
        lambda w, s: reverse("inspections:detail", args=[w["inspections"][s].pk]),
        inspection_page,
    ),
    "inspections:act": (
        lambda w, s: reverse("inspections:act", args=[w["inspections"][s].pk, "findings"]),
        only(CASE_ROLES, 405),
    ),
}
# Pages that may show personal content: to whom, for which objects.
BOTH = frozenset({"own", "other"})
MAY_SHOW_PERSON = {
    ("intake:detail", Role.AF_OOV): {"own"},
    ("intake:received", Role.AF_OOV): {"own"},
    ("cases:detail", Role.AF_OOV): {"own"},  # the netwerkregisseur of the case
    ("cases:section", Role.AF_OOV): {"own"},
    ("privacy:subject", Role.PRIVACY_OFFICER): BOTH,  # subject access, installation-wide
    ("privacy:subject_export", Role.PRIVACY_OFFICER): BOTH,
    ("privacy:case_subject", Role.PRIVACY_OFFICER): BOTH,
    ("privacy:case_subject_export", Role.PRIVACY_OFFICER): BOTH,
}
# The findings of an inspection: to those who inspect and the organisations taking part, not to
# those who were only told beforehand.
MAY_SHOW_FINDINGS = {
    ("inspections:detail", role): {"own"} for role in INSPECTION_ROLES | {Role.ISZW}
}
MAY_SHOW_DESCRIPTION = {
    ("intake:detail", Role.AF_OOV): {"own"},
    ("intake:received", Role.AF_OOV): {"own"},
    ("privacy:subject_export", Role.PRIVACY_OFFICER): BOTH,  # art. 15: everything about them
}


FIGURE_KEEPERS = {Role.AF_OOV, Role.AF_ZORG, Role.AF_SWT}
REPORT_READERS = FIGURE_KEEPERS | {Role.BOARD_VIEWER}
LAST_YEAR = timezone.localdate().year - 1


def report_url(name):
    return lambda w, s: reverse(name, args=[LAST_YEAR])


def report_page(role, scope):
    """The AF roles open the municipality's report of any year; the board reads it once the AF
    has begun it (none is, here); everyone else is refused."""
    if role in FIGURE_KEEPERS:
        return 200
    return 404 if role == Role.BOARD_VIEWER else 403


# The figures are the municipality's (or region's) of the reader: no object of another
# municipality is in the URL, so "own" and "other" ask the same page.
RULES |= {
    "monitoring:dashboard": (
        lambda w, s: reverse("monitoring:dashboard"),
        only(REPORT_READERS | {Role.REGIONAL_ADVISER}),
    ),
    "monitoring:report_index": (
        lambda w, s: reverse("monitoring:report_index"),
        only(REPORT_READERS),
    ),
    "monitoring:report": (report_url("monitoring:report"), report_page),
    "monitoring:report_edit": (report_url("monitoring:report_edit"), only(FIGURE_KEEPERS)),
    "monitoring:report_pdf": (report_url("monitoring:report_pdf"), report_page),
    "monitoring:report_csv": (report_url("monitoring:report_csv"), report_page),
    "monitoring:report_xlsx": (report_url("monitoring:report_xlsx"), report_page),
}

# The CoMensha export: the roles that register victims; the victims are those of the reader's
# own cases, so "own" and "other" ask the same page (the matrix's ZC and AVIM take part in none).
REGISTERING = {Role.ZORGCOORDINATOR, Role.AVIM}
RULES |= {
    name: (lambda w, s, name=name: reverse(name), only(REGISTERING))
    for name in ("monitoring:comensha", "monitoring:comensha_csv", "monitoring:comensha_xlsx")
}


# The partner network (network/): the directory and the care map are the region's, read by every
# membership; the organisation and the care offer of "other" belong to another region (404 for
# whoever could open the own). Trainings are the municipality's: the AF roles keep them, the
# board reads who is trained.
TRAINING_KEEPERS = {Role.AF_OOV, Role.AF_ZORG, Role.AF_SWT}
CARE_MAP_KEEPERS = {Role.AF_ZORG, Role.ZORGCOORDINATOR, Role.FUNCTIONAL_ADMIN}


def network_object(kind):
    """Made on first use: the own municipality's (or region's) and another region's."""
    return lambda w, s: matrix_network_object(kind, w[s].municipality if s == "own" else None)


def own_or_missing(roles):
    return lambda role, scope: (200 if scope == "own" else 404) if role in roles else 403


def own_session_or_missing(role, scope):
    """The other municipality's training (same region) does not exist for a keeper here."""
    return (200 if scope == "own" else 404) if role in TRAINING_KEEPERS else 403


RULES |= {
    "network:directory": (lambda w, s: reverse("network:directory"), everyone(200)),
    "network:who_does_what": (lambda w, s: reverse("network:who_does_what"), everyone(200)),
    "network:organisation": (
        lambda w, s: reverse("network:organisation", args=[network_object("organisation")(w, s)]),
        lambda role, scope: 200 if scope == "own" else 404,
    ),
    "network:profile_edit": (
        lambda w, s: reverse("network:profile_edit", args=[network_object("organisation")(w, s)]),
        own_or_missing({Role.FUNCTIONAL_ADMIN}),
    ),
    "network:trainings": (lambda w, s: reverse("network:trainings"), only(TRAINING_KEEPERS)),
    "network:training_new": (lambda w, s: reverse("network:training_new"), only(TRAINING_KEEPERS)),
    "network:training_interval": (
        lambda w, s: reverse("network:training_interval"),
        only(TRAINING_KEEPERS, 405),
    ),
    "network:training_edit": (
        lambda w, s: reverse(
            "network:training_edit",
            args=[
                matrix_session(
                    w["municipality"],
                    other=s == "other",
                    other_municipality=w["other"].municipality,
                )
            ],
        ),
        own_session_or_missing,
    ),
    "network:training_status": (
        lambda w, s: reverse("network:training_status"),
        only(TRAINING_KEEPERS | {Role.BOARD_VIEWER}),
    ),
    "network:care_map": (lambda w, s: reverse("network:care_map"), everyone(200)),
    "network:care_offer_new": (
        lambda w, s: reverse("network:care_offer_new"),
        only(CARE_MAP_KEEPERS),
    ),
    "network:care_offer_edit": (
        lambda w, s: reverse("network:care_offer_edit", args=[network_object("offer")(w, s)]),
        own_or_missing(CARE_MAP_KEEPERS),
    ),
}


def test_every_url_has_a_rule():
    assert url_names() == sorted(RULES), "add the new view to RULES with who may open it"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own_municipality = MunicipalityFactory(name="Eigen")
    other_municipality = MunicipalityFactory(name="Ander", region=own_municipality.region)
    signals, cases, meetings = {}, {}, {}
    for scope, municipality, name, text in (
        ("own", own_municipality, OWN_NAME, OWN_TEXT),
        ("other", other_municipality, OTHER_NAME, OTHER_TEXT),
    ):
        signal = SignalFactory(municipality=municipality, description=text)
        SignalPerson.objects.create(
            signal=signal,
            role="victim",
            name=name,
            name_index=blind_index(name, purpose="person-name"),
        )
        attachment = SignalAttachment(
            signal=signal, original_name="a.pdf", content_type="application/pdf", size=4, sha256="x"
        )
        attachment.file.save("upload", ContentFile(b"%PDF"), save=True)
        signals[scope] = signal
        cases[scope], meetings[scope] = case_and_meeting_about(signal, name)
    signals["municipality"] = own_municipality
    signals["cases"] = cases
    signals["meetings"] = meetings
    signals["inspections"] = {
        scope: inspection_of(case, findings) for scope, case, findings in inspection_scopes(cases)
    }
    return signals


OWN_FINDINGS, OTHER_FINDINGS = "OWN-FINDINGS-3X", "OTHER-FINDINGS-8Y"
# The regional partners of the own inspection, in which `user_for` puts their roles' users.
REGIONAL = {
    Role.AVIM: ("Politie (matrix)", OrganisationKind.POLICE),
    Role.ZORGCOORDINATOR: ("Zorgcoördinatie (matrix)", OrganisationKind.CARE_COORDINATION),
    Role.ISZW: ("Arbeidsinspectie (matrix)", OrganisationKind.LABOUR_INSPECTORATE),
}


def inspection_scopes(cases):
    return (("own", cases["own"], OWN_FINDINGS), ("other", cases["other"], OTHER_FINDINGS))


def inspection_of(case, findings):
    """A held BIT inspection planned by the netwerkregisseur of the case's municipality; the own
    one with the labour inspectorate taking part, AVIM informed and the ZC on stand-by."""
    planner = case.participants.get()
    inspection = Inspection.objects.create(
        municipality=case.municipality,
        kind=InspectionKind.BIT,
        planned_for=timezone.now(),
        premises="Loods Oosthaven",
        purpose="-",
        status=InspectionStatus.HELD,
        findings=findings,
        planned_by=planner.added_by,
    )
    inspection.participants.add(planner.organisation)
    if findings == OWN_FINDINGS:
        region = case.municipality.region
        partners = {
            role: OrganisationFactory(name=name, kind=kind, region=region, municipality=None)
            for role, (name, kind) in REGIONAL.items()
        }
        inspection.participants.add(partners[Role.ISZW])
        for kind, role in (
            (NoticeKind.AVIM_INFORMED, Role.AVIM),
            (NoticeKind.ZC_STANDBY, Role.ZORGCOORDINATOR),
        ):
            InspectionNotice.objects.create(
                inspection=inspection, organisation=partners[role], kind=kind
            )
    return inspection


def case_and_meeting_about(signal, name):
    """A case opened from the signal, with the person in it, on the agenda of a held VCO to which
    the municipality's own organisation is invited."""
    director = user_with_role(Role.AF_OOV, municipality=signal.municipality)
    organisation = director.memberships.get().organisation
    case = Case.objects.create(
        reference=f"ZK-T-{signal.pk}", municipality=signal.municipality, summary="-"
    )
    case.signals.add(signal)
    CaseParticipant.objects.create(
        case=case,
        organisation=organisation,
        legal_basis=LegalBasis.COVENANT,
        justification="netwerkregisseur",
        added_by=director,
    )
    CasePerson.objects.create(
        case=case,
        role="victim",
        number=1,
        name=name,
        name_index=blind_index(name, purpose="person-name"),
    )
    meeting = Meeting.objects.create(
        municipality=signal.municipality,
        meeting_type=MeetingType.CASE_MEETING,
        scheduled_for=timezone.now(),
        status=MeetingStatus.HELD,
        created_by=director,
    )
    meeting.invited.add(organisation)
    AgendaItem.objects.create(meeting=meeting, position=1, signal=signal)
    AgendaItem.objects.create(meeting=meeting, position=2, case=case)
    return case, meeting


def user_for(role, municipality):
    if role == Role.PARTNER_REPORTER:
        hotel = OrganisationFactory(
            municipality=municipality,
            kind=OrganisationKind.HOTEL,
            sub_network=SubNetwork.SIGNALLERS,
        )
        return user_with_role(role, organisation=hotel)
    name = REGIONAL.get(role, ("", None))[0]
    regional = Organisation.objects.filter(region=municipality.region, name=name).first()
    if regional is not None:
        return user_with_role(role, organisation=regional)
    return user_with_role(role, municipality=municipality)


def squashed(text):
    """Without any whitespace: text read from a PDF has no spaces where words are placed apart."""
    return "".join(text.split())


def readable(name, response):
    """The response as text without whitespace; a PDF also as the text inside it (its content
    is compressed, so its bytes never show a name). Attachments are the uploaded bytes."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="replace")
    if (
        response.get("Content-Type", "").startswith("application/pdf")
        and name != "intake:attachment"
    ):
        text += "\n" + pdf_pages_and_text(body)[1]
    return squashed(text)


@pytest.mark.parametrize("role", list(Role))
def test_the_authorization_matrix(client, world, role):
    client.force_login(user_for(role, world["municipality"]))
    failures = []
    for name, (build, expected) in RULES.items():
        for scope in ("own", "other"):
            response = client.get(build(world, scope))
            want = expected(role, scope)
            if response.status_code != want:
                failures.append(f"{name} [{scope}]: {response.status_code}, expected {want}")
                continue
            text = readable(name, response)
            person = squashed(OWN_NAME if scope == "own" else OTHER_NAME)
            description = OWN_TEXT if scope == "own" else OTHER_TEXT
            if person in text and scope not in MAY_SHOW_PERSON.get((name, role), ()):
                failures.append(f"{name} [{scope}] shows a person's name")
            if description in text and scope not in MAY_SHOW_DESCRIPTION.get((name, role), ()):
                failures.append(f"{name} [{scope}] shows the signal's description")
            findings = OWN_FINDINGS if scope == "own" else OTHER_FINDINGS
            if findings in text and scope not in MAY_SHOW_FINDINGS.get((name, role), ()):
                failures.append(f"{name} [{scope}] shows an inspection's findings")
            if squashed(OTHER_NAME if scope == "own" else OWN_NAME) in text:
                failures.append(f"{name} [{scope}] shows a person of another signal")
    assert failures == []


def test_a_user_with_two_memberships_is_asked_which_one_acts_on_every_governed_page(client, world):
    """An AF OOV here and a municipal employee elsewhere, not chosen yet: every page behind a
    policy sends them to choose (and back); the others answer as for anyone logged in."""
    user = user_for(Role.AF_OOV, world["municipality"])
    elsewhere = OrganisationFactory(municipality=world["cases"]["other"].municipality)
    MembershipFactory(user=user, organisation=elsewhere, role=Role.MUNICIPAL_REPORTER)
    client.force_login(user)
    choose = reverse("accounts:act_as")
    failures = []
    for name, (build, _expected) in RULES.items():
        for scope in ("own", "other"):
            url = build(world, scope)
            governed = isinstance(getattr(resolve(url).func, ACCESS_ATTRIBUTE, None), tuple)
            response = client.get(url)
            asked = response.status_code == 302 and response["Location"].startswith(choose)
            if asked != governed:
                failures.append(f"{name} [{scope}]: {response.status_code}")
            text = readable(name, response)
            if squashed(OWN_NAME) in text or squashed(OTHER_NAME) in text:
                failures.append(f"{name} [{scope}] shows a person's name")
    assert failures == []


# The self-assessment: the municipality's AF OOV fills it in; its AF Zorg, AF SWT and board
# viewer read the finalised ones. Each municipality here has a final assessment of last year.
ASSESSORS = {Role.AF_OOV}
ASSESSMENT_READERS = ASSESSORS | {Role.AF_ZORG, Role.AF_SWT, Role.BOARD_VIEWER}


def final_assessment(w, scope):
    from schakel.assessment.models import Assessment, ModelVersion

    kept = w.setdefault("assessments", {})
    if scope not in kept:
        municipality = w["municipality"] if scope == "own" else w["cases"]["other"].municipality
        kept[scope] = Assessment.objects.create(
            municipality=municipality,
            year=LAST_YEAR,
            model_version=ModelVersion.objects.order_by("-loaded_at").first(),
            status="final",
            finalised_at=timezone.now(),
        )
    return kept[scope]


def assessment_url(name, *extra):
    return lambda w, s: reverse(name, args=[final_assessment(w, s).pk, *extra])


def assessment_page(roles):
    """Own municipality's final assessment for the roles; another's does not exist for them."""

    def expected(role, scope):
        if role not in roles:
            return 403
        return 200 if scope == "own" else 404

    return expected


RULES |= {
    "assessment:list": (lambda w, s: reverse("assessment:list"), only(ASSESSMENT_READERS)),
    "assessment:start": (lambda w, s: reverse("assessment:start"), only(ASSESSORS, 405)),
    "assessment:questions": (
        assessment_url("assessment:questions", "network"),
        assessment_page(ASSESSMENT_READERS),
    ),
    "assessment:results": (
        assessment_url("assessment:results"),
        assessment_page(ASSESSMENT_READERS),
    ),
    "assessment:pdf": (assessment_url("assessment:pdf"), assessment_page(ASSESSMENT_READERS)),
    "assessment:finalise": (
        assessment_url("assessment:finalise"),
        assessment_page(ASSESSORS),
    ),
    "assessment:answer": (
        assessment_url("assessment:answer", "network-clarity"),
        only(ASSESSORS, 405),
    ),
    "assessment:evidence_add": (
        assessment_url("assessment:evidence_add", "network-clarity"),
        only(ASSESSORS, 405),
    ),
    "assessment:evidence_remove": (
        assessment_url("assessment:evidence_remove", 1),
        only(ASSESSORS, 405),
    ),
}
