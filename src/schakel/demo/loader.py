"""The fictional demo region 'Heidemeer'. Every name, place and story here is invented.

Loading is idempotent: running it twice leaves the same data (accounts, organisations, signals
keyed on fixed submission tokens, and Brakelveen's generated history since 1 January of last
year, written once: demo/dataset.py `history_into`). It runs only under the demo settings
(`SCHAKEL_DEMO`): its accounts share a published password, and on an installation with real
data the first visitor to log in as the privacy officer or the functional administrator would
enrol their own second factor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from schakel.cases.choices import LegalBasis, PersonOutcome
from schakel.cases.services import (
    agreement_make,
    case_add_participant,
    case_open,
    person_record_outcomes,
    timeline_post,
)
from schakel.catalogue.services import catalogue_load_defaults, exploitation_forms_ensure
from schakel.core.context import AccessContext
from schakel.core.policies import actor_for
from schakel.demo.annual_report import load_annual_report
from schakel.demo.assessment import load_assessments
from schakel.demo.dataset import history_into
from schakel.demo.network import load_network
from schakel.intake.choices import CloseReason, Routing, SignalStatus
from schakel.intake.models import Signal
from schakel.intake.services import (
    PersonInput,
    SignalDetails,
    SignalReport,
    signal_close,
    signal_enrich,
    signal_give_feedback,
    signal_report,
    signal_route,
)
from schakel.organisations import services as org
from schakel.organisations.choices import MeetingType, OrganisationKind, Ring, Role, SubNetwork
from schakel.organisations.models import Municipality, Organisation

DEMO_PASSWORD = "schakel-demo"  # noqa: S105  (printed on purpose: the demo is for trying out)
TOKEN_NAMESPACE = uuid.UUID("6f7b1c2e-9a51-4c8e-8f0a-5d3c2b1a0e99")


class DemoNotAllowed(RuntimeError):
    """The demo was asked for outside the demo settings."""


def demo_allowed() -> bool:
    return getattr(settings, "SCHAKEL_DEMO", False) is True


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    organisation: str


# (key, name, kind, sub-network, ring, municipality key or None)
ORGANISATIONS = [
    (
        "oov",
        "Gemeente Brakelveen – Openbare Orde en Veiligheid",
        OrganisationKind.MUNICIPALITY,
        SubNetwork.PERPETRATOR,
        Ring.FIRST,
        "brakelveen",
    ),
    (
        "mo",
        "Gemeente Brakelveen – Maatschappelijke Ontwikkeling",
        OrganisationKind.MUNICIPALITY,
        SubNetwork.VICTIM_CARE,
        Ring.FIRST,
        "brakelveen",
    ),
    (
        "swt",
        "Gemeente Brakelveen – Sociaal wijkteam",
        OrganisationKind.MUNICIPALITY,
        SubNetwork.VICTIM_CARE,
        Ring.FIRST,
        "brakelveen",
    ),
    (
        "th",
        "Gemeente Brakelveen – Toezicht en Handhaving",
        OrganisationKind.MUNICIPALITY,
        SubNetwork.PERPETRATOR,
        Ring.FIRST,
        "brakelveen",
    ),
    (
        "brp",
        "Gemeente Brakelveen – Burgerzaken",
        OrganisationKind.MUNICIPALITY,
        SubNetwork.SIGNALLERS,
        Ring.SECOND,
        "brakelveen",
    ),
    (
        "staf",
        "Gemeente Brakelveen – Bestuur en Informatiebeheer",
        OrganisationKind.MUNICIPALITY,
        SubNetwork.DIRECTION,
        Ring.SECOND,
        "brakelveen",
    ),
    (
        "wz_oov",
        "Gemeente Wolderzijl – Openbare Orde en Veiligheid",
        OrganisationKind.MUNICIPALITY,
        SubNetwork.PERPETRATOR,
        Ring.FIRST,
        "wolderzijl",
    ),
    (
        "zc",
        "Zorgcoördinatie Mensenhandel Heidemeer",
        OrganisationKind.CARE_COORDINATION,
        SubNetwork.VICTIM_CARE,
        Ring.FIRST,
        None,
    ),
    (
        "vt",
        "Veilig Thuis Heidemeer",
        OrganisationKind.VEILIG_THUIS,
        SubNetwork.VICTIM_CARE,
        Ring.FIRST,
        None,
    ),
    (
        "avim",
        "Politie Heidemeer – AVIM",
        OrganisationKind.POLICE,
        SubNetwork.PERPETRATOR,
        Ring.FIRST,
        None,
    ),
    (
        "bt",
        "Politie – Basisteam Brakelveen",
        OrganisationKind.POLICE,
        SubNetwork.PERPETRATOR,
        Ring.FIRST,
        "brakelveen",
    ),
    (
        "iszw",
        "Arbeidsinspectie – team Heidemeer",
        OrganisationKind.LABOUR_INSPECTORATE,
        SubNetwork.PERPETRATOR,
        Ring.FIRST,
        None,
    ),
    (
        "om",
        "Openbaar Ministerie – parket Heidemeer",
        OrganisationKind.PROSECUTION,
        SubNetwork.PERPETRATOR,
        Ring.FIRST,
        None,
    ),
    (
        "bd",
        "Belastingdienst – regio Heidemeer",
        OrganisationKind.TAX_AUTHORITY,
        SubNetwork.PERPETRATOR,
        Ring.FIRST,
        None,
    ),
    ("riec", "RIEC Heidemeer", OrganisationKind.RIEC, SubNetwork.PERPETRATOR, Ring.FIRST, None),
    (
        "zvh",
        "Zorg- en Veiligheidshuis Heidemeer",
        OrganisationKind.ZVH,
        SubNetwork.DIRECTION,
        Ring.FIRST,
        None,
    ),
    (
        "opvang",
        "Stichting Schuilhaven (opvang)",
        OrganisationKind.CARE_PROVIDER,
        SubNetwork.VICTIM_CARE,
        Ring.FIRST,
        None,
    ),
    (
        "hotel",
        "Hotel De Zilveren Reiger",
        OrganisationKind.HOTEL,
        SubNetwork.SIGNALLERS,
        Ring.SECOND,
        "brakelveen",
    ),
    (
        "school",
        "Lindecollege Brakelveen",
        OrganisationKind.SCHOOL,
        SubNetwork.SIGNALLERS,
        Ring.SECOND,
        "brakelveen",
    ),
]

# (username, first name, last name, organisation key, role)
ACCOUNTS = [
    ("af.oov", "Floor", "Hagedoorn", "oov", Role.AF_OOV),
    ("af.zorg", "Jip", "Weverink", "mo", Role.AF_ZORG),
    ("af.swt", "Noor", "Kalkhoven", "swt", Role.AF_SWT),
    ("zorgcoordinator", "Bram", "Olijslager", "zc", Role.ZORGCOORDINATOR),
    ("veiligthuis", "Lotte", "Brinkerink", "vt", Role.VEILIG_THUIS),
    ("avim", "Daan", "Roerdink", "avim", Role.AVIM),
    ("basisteam", "Mees", "Ter Haegen", "bt", Role.BASISTEAM),
    ("iszw", "Isa", "Vlieland-Mos", "iszw", Role.ISZW),
    ("ovj", "Ruben", "Klaverweide", "om", Role.OVJ),
    ("belastingdienst", "Fenna", "Zuidbroek", "bd", Role.BELASTINGDIENST),
    ("handhaving", "Sem", "Doornwaard", "th", Role.TOEZICHT_HANDHAVING),
    ("medewerker", "Yara", "Lindeboom", "brp", Role.MUNICIPAL_REPORTER),
    ("hotel", "Wout", "Reigersberg", "hotel", Role.PARTNER_REPORTER),
    ("school", "Liv", "Eikenhorst", "school", Role.PARTNER_REPORTER),
    ("bestuur", "Teun", "Grootveld", "staf", Role.BOARD_VIEWER),
    ("regio", "Ilse", "Wolfsberg", "riec", Role.REGIONAL_ADVISER),
    ("beheer", "Mila", "Achterhof", "staf", Role.FUNCTIONAL_ADMIN),
    ("privacy", "Joris", "Steenbakker", "staf", Role.PRIVACY_OFFICER),
    ("af.wolderzijl", "Roos", "Veldkamp", "wz_oov", Role.AF_OOV),
]

# (token label, reporter username, organisation key, role, municipality, days ago, place, forms,
#  what was observed)
SIGNALS = [
    (
        "brp-1",
        "medewerker",
        "brp",
        Role.MUNICIPAL_REPORTER,
        "brakelveen",
        9,
        "Wijk De Heikant",
        ("labour",),
        "Vier mannen kwamen samen een inschrijving doen op één adres. Eén begeleider voerde het "
        "woord en hield alle paspoorten vast. Niemand wist het adres waar ze zouden wonen.",
    ),
    (
        "hotel-1",
        "hotel",
        "hotel",
        Role.PARTNER_REPORTER,
        "brakelveen",
        3,
        "Hotel De Zilveren Reiger, Stationsplein",
        ("sexual",),
        "Een jonge vrouw verbleef een week in een kamer die telkens door een oudere man werd "
        "betaald. Veel wisselend bezoek 's nachts; zij leek niet vrij om het hotel te verlaten.",
    ),
    (
        "school-1",
        "school",
        "school",
        Role.PARTNER_REPORTER,
        "brakelveen",
        2,
        "Omgeving Lindecollege",
        ("criminal",),
        "Een leerling van 15 heeft ineens dure spullen, verzuimt veel en wordt na school opgehaald "
        "door oudere jongens. Hij zegt dat hij 'iets moet terugbetalen'.",
    ),
    (
        "th-1",
        "handhaving",
        "th",
        Role.TOEZICHT_HANDHAVING,
        "brakelveen",
        1,
        "Bedrijventerrein Oosthaven",
        ("labour",),
        "Bij een controle bij een loods bleken mensen in de bedrijfsruimte te slapen. Geen "
        "contracten, lange werkdagen, loon zou worden ingehouden voor huisvesting.",
    ),
    # Two signals about one house, written two ways: the AF sees them together on the signal page.
    (
        "th-2",
        "handhaving",
        "th",
        Role.TOEZICHT_HANDHAVING,
        "brakelveen",
        8,
        "Molenweg 7, Brakelveen",
        ("labour",),
        "Klacht over overbewoning: matrassen in de garage en op zolder, steeds wisselende "
        "bewoners. Een busje met buitenlands kenteken haalt ze 's ochtends om vijf uur op.",
    ),
    (
        "avim-1",
        "avim",
        "avim",
        Role.AVIM,
        "brakelveen",
        2,
        "molenweg 7 te Brakelveen",
        ("labour",),
        "Bij een verkeerscontrole zaten acht arbeiders in één busje; ze gaven allemaal dit adres "
        "op. De chauffeur sprak voor iedereen en had hun identiteitsbewijzen bij zich.",
    ),
    (
        "zc-1",
        "zorgcoordinator",
        "zc",
        Role.ZORGCOORDINATOR,
        "wolderzijl",
        4,
        "Centrum Wolderzijl",
        ("unknown",),
        "Een hulpverlener raadpleegde de zorgcoördinator over een cliënt met schulden bij een "
        "'werkgever' die haar telefoon controleert. Vorm van uitbuiting nog onduidelijk.",
    ),
]


def load_demo() -> list[DemoAccount]:
    """Load the demo region; refuses, before touching the database, outside the demo settings."""
    if not demo_allowed():
        raise DemoNotAllowed(
            "The demo region has accounts with a published password and loads only under the demo "
            f"settings (schakel.config.settings.demo), not under {settings.SETTINGS_MODULE}. "
            "Nothing was loaded."
        )
    with transaction.atomic():
        return _load_demo()


def _load_demo() -> list[DemoAccount]:
    exploitation_forms_ensure()
    catalogue_load_defaults()
    region = org.region_ensure(name="Regio Heidemeer")
    municipalities = {
        "brakelveen": org.municipality_ensure(
            name="Brakelveen",
            cbs_code="GM9901",
            region=region,
            reporting_point=(
                "Meldpunt mensenhandel Brakelveen",
                "012 345 6789",
                "meldpunt-mensenhandel@brakelveen.example",
            ),
        ),
        "wolderzijl": org.municipality_ensure(
            name="Wolderzijl",
            cbs_code="GM9902",
            region=region,
            reporting_point=(
                "Meldpunt mensenhandel Wolderzijl",
                "012 345 6790",
                "meldpunt@wolderzijl.example",
            ),
        ),
    }
    organisations: dict[str, Organisation] = {
        key: org.organisation_ensure(
            name=name,
            kind=kind,
            region=region,
            sub_network=sub_network,
            ring=ring,
            municipality=municipalities[mun] if mun else None,
        )
        for key, name, kind, sub_network, ring, mun in ORGANISATIONS
    }
    org.covenant_ensure(
        name="Convenant Slachtoffers Mensenhandel 18-/18+ Heidemeer",
        region=region,
        legal_basis="AVG art. 6(1)(e), art. 9(2)(g); convenant art. 4",
        valid_from=date(2024, 1, 1),
        parties=[organisations[k] for k in ("oov", "swt", "zc", "vt", "avim", "zvh", "opvang")],
        meeting_types=[
            MeetingType.CASE_MEETING,
            MeetingType.PARTNER_MEETING,
            MeetingType.REGIONAL_TABLE,
        ],
    )
    org.covenant_ensure(
        name="RIEC-convenant Heidemeer",
        region=region,
        legal_basis="Wet gegevensverwerking door samenwerkingsverbanden; RIEC-convenant",
        valid_from=date(2025, 3, 1),
        parties=[organisations[k] for k in ("oov", "th", "avim", "bd", "iszw", "om", "riec")],
        meeting_types=[MeetingType.RIEC_MEETING, MeetingType.INSPECTION_BRIEFING],
    )
    accounts = []
    users = {}
    for username, first, last, org_key, role in ACCOUNTS:
        users[username] = org.account_ensure(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@heidemeer.example",
            password=DEMO_PASSWORD,
            memberships=[(organisations[org_key], role)],
        )
        accounts.append(
            DemoAccount(username, f"{first} {last}", str(role.label), organisations[org_key].name)
        )
    today = timezone.localdate()
    signals = {}
    for label, username, org_key, role, mun, days, place, forms, text in SIGNALS:
        context = AccessContext.system(actor_for(users[username]), "load_demo")
        signals[label] = signal_report(
            context=context,
            report=SignalReport(
                organisation_id=organisations[org_key].pk,
                role=role,
                municipality_id=municipalities[mun].pk,
                description=text,
                place=place,
                exploitation_form_codes=forms,
                observed_on=today - timedelta(days=days),
                submission_token=uuid.uuid5(TOKEN_NAMESPACE, label),
                details=DETAILS.get(label, SignalDetails()),
            ),
        )
    director = AccessContext.system(actor_for(users["af.oov"]), "load_demo")
    _handle_demo_signals(director, signals)
    _open_demo_case(director, signals["brp-1"], organisations)
    _plan_demo_meeting(
        director,
        municipalities["brakelveen"],
        [organisations[k] for k in ("zc", "vt", "avim", "iszw")],
    )
    # Since 1 January of last year: the board's dashboard compares this year with the last,
    # and last year's annual report has something to say. After the meeting, so that today's
    # agenda holds only the demo's own signal and case; written once (see history_into).
    history_into(municipalities["brakelveen"])
    load_annual_report(director, municipalities["brakelveen"])
    load_network(
        region=region, municipalities=municipalities, organisations=organisations, users=users
    )
    load_assessments(director, municipalities["brakelveen"])
    return accounts


# A few signals come with people and ticked indicators (all invented).
DETAILS = {
    "brp-1": SignalDetails(
        persons=(
            PersonInput(role="perpetrator", sex="m", approximate_age=45, name="Dragan Voskuil"),
            PersonInput(
                role="victim",
                sex="m",
                approximate_age=25,
                nationality_country="RO",
                nationality="spreekt Roemeens, wat Engels",
                name="Radu Ilievescu",
            ),
        ),
    ),
    "th-1": SignalDetails(
        persons=(
            PersonInput(
                role="victim", sex="m", approximate_age=30, nationality_country="PL", nationality=""
            ),
        ),
    ),
    "th-2": SignalDetails(
        indicator_codes=("labour-housing-many-occupants", "labour-housing-not-meant-for-living"),
    ),
    "avim-1": SignalDetails(
        indicator_codes=(
            "identity-no-control-over-documents",
            "labour-housing-foreign-plates-agency-vans",
        ),
    ),
}


def _plan_demo_meeting(
    context: AccessContext, municipality: Municipality, invited: list[Organisation]
) -> None:
    """Today's case meeting in Brakelveen (a meeting is held on its day, not before), its agenda
    built from the routed signal and the open cases. The labour inspectorate is invited but is
    no party to the victims' covenant, so its staff see the agenda with pseudonyms. Planned
    once: loading twice changes nothing."""
    from schakel.meetings.models import Meeting
    from schakel.meetings.services import meeting_build_agenda, meeting_plan

    if Meeting.objects.filter(municipality=municipality).exists():
        return
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = meeting_plan(
        context=context,
        municipality=municipality,
        meeting_type=MeetingType.CASE_MEETING,
        scheduled_for=start,
        location="Gemeentehuis Brakelveen, kamer 2.14",
        invited=invited,
    )
    meeting_build_agenda(context=context, meeting=meeting)


def _handle_demo_signals(context: AccessContext, signals: dict[str, Signal]) -> None:
    """Show the AF's step plan at work: one signal routed, one closed after feedback. Only
    signals that are still new are touched, so loading twice changes nothing."""
    routed, closed = signals["brp-1"], signals["th-1"]
    if routed.status == SignalStatus.NEW:
        signal_enrich(
            context=context,
            signal=routed,
            kind="sanctions",
            text="Adres eerder gecontroleerd: overbewoning, last onder dwangsom in 2025.",
        )
        signal_route(
            context=context,
            signal=routed,
            destination=Routing.CASE_MEETING,
            reason="Besproken met AVIM; op de agenda van het eerstvolgende casusoverleg.",
        )
    if closed.status == SignalStatus.NEW:
        signal_enrich(
            context=context, signal=closed, kind="consulted", text="Arbeidsinspectie ingelicht."
        )
        signal_route(
            context=context,
            signal=closed,
            destination=Routing.CASE_MEETING,
            reason="Arbeidsuitbuiting: Arbeidsinspectie neemt het over.",
        )
        signal_give_feedback(
            context=context,
            signal=closed,
            feedback="Dank voor uw melding. De Arbeidsinspectie is ingeschakeld en onderzoekt het.",
        )
        signal_close(context=context, signal=closed, reason=CloseReason.HANDED_OVER)


def _open_demo_case(
    context: AccessContext, signal: Signal, organisations: dict[str, Organisation]
) -> None:
    """One open case in Brakelveen from the routed signal: the zorgcoördinator takes part under
    the covenant, the labour inspectorate sees it pseudonymised, and there are agreements due
    this week for the netwerkregisseur, the zorgcoördinator and the labour inspectorate.
    Skipped when the signal is already in a case, so loading twice changes nothing."""
    if signal.cases.exists():
        return
    case = case_open(
        context=context,
        signals=[signal],
        summary=(
            "Vier mannen ingeschreven op één adres in De Heikant; een begeleider hield de "
            "paspoorten vast. Vermoeden van arbeidsuitbuiting."
        ),
    )
    case_add_participant(
        context=context,
        case=case,
        organisation=organisations["zc"],
        legal_basis=LegalBasis.COVENANT,
        justification="Casusoverleg: zorg voor het slachtoffer regelen.",
    )
    case_add_participant(
        context=context,
        case=case,
        organisation=organisations["iszw"],
        legal_basis=LegalBasis.PSEUDONYMS_ONLY,
        justification="Arbeidsuitbuiting vermoed: de Arbeidsinspectie denkt mee, zonder namen.",
    )
    # The victim is sheltered and registered with CoMensha long before the case closes.
    victim = case.persons.filter(role="victim").first()
    if victim is not None:
        person_record_outcomes(
            context=context,
            case=case,
            person_id=victim.pk,
            outcomes=(PersonOutcome.SHELTERED, PersonOutcome.REGISTERED_COMENSHA),
        )
    agreement_make(
        context=context,
        case=case,
        text="Intakegesprek met Slachtoffer 1 plannen, met tolk Roemeens.",
        owner=organisations["zc"],
        due_on=timezone.localdate() + timedelta(days=7),
    )
    # Something due this week for the netwerkregisseur and the labour inspectorate as well, so
    # that their start pages and 'Mijn acties' show it.
    agreement_make(
        context=context,
        case=case,
        text="Melder (BRP) terugkoppelen wat er met de melding gebeurt.",
        owner=organisations["oov"],
        due_on=timezone.localdate() + timedelta(days=2),
    )
    agreement_make(
        context=context,
        case=case,
        text="Werkgever en uitzendbureau van de vier mannen nagaan in de eigen systemen.",
        owner=organisations["iszw"],
        due_on=timezone.localdate() + timedelta(days=5),
    )
    timeline_post(
        context=context,
        case=case,
        kind="contact",
        text="AVIM gebeld: adres is bij hen niet bekend.",
        happened_on=timezone.localdate(),
    )
