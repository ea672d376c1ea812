"""The demo region's partner network: a filled directory (fictional contact persons), a year of
trainings in Brakelveen and Wolderzijl, a certified hotel and an uncertified holiday park,
subsidised care partners meeting and missing the quality framework, and a care map with a
visible gap (no shelter for non-EU minors in labour exploitation). Written through the network
services, once: a second load leaves what is there."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from schakel.core.context import AccessContext
from schakel.core.policies import actor_for
from schakel.network import services
from schakel.network.models import CareOffer, PartnerProfile, TrainingSession
from schakel.network.services import CareOfferInput, ProfileInput, SessionInput
from schakel.organisations import services as org
from schakel.organisations.choices import OrganisationKind, Ring, SubNetwork
from schakel.organisations.models import Municipality, Organisation, Region, User

R = "reports_to_municipality"
# key → (contact person, phone, mailbox, own AF, place in the reporting route, what it does)
PROFILES: dict[str, tuple[str, str, str, str, str, str]] = {
    "oov": (
        "Floor Hagedoorn",
        "012 345 6789",
        "oov@brakelveen.example",
        "Floor Hagedoorn",
        "receives",
        "Internal reporting point and netwerkregisseur: receives signals, enriches them, "
        "organises the case meeting and the RIEC meeting.",
    ),
    "mo": (
        "Jip Weverink",
        "012 345 6701",
        "mo@brakelveen.example",
        "Jip Weverink",
        R,
        "Care policy: buys care for victims, subsidises care partners and checks their "
        "quality framework.",
    ),
    "swt": (
        "Noor Kalkhoven",
        "012 345 6702",
        "wijkteam@brakelveen.example",
        "Noor Kalkhoven",
        R,
        "Sees situations behind the front door; reports to the reporting point and supports "
        "victims in their neighbourhood.",
    ),
    "th": (
        "Sem Doornwaard",
        "012 345 6703",
        "handhaving@brakelveen.example",
        "",
        R,
        "Inspections of premises, alone or with the partners of the BIT.",
    ),
    "brp": (
        "Yara Lindeboom",
        "012 345 6704",
        "burgerzaken@brakelveen.example",
        "",
        R,
        "Registration desk: asks the five questions and reports signs at registration.",
    ),
    "zc": (
        "Bram Olijslager",
        "012 345 6710",
        "zorgcoordinatie@heidemeer.example",
        "Bram Olijslager",
        "receives",
        "Advises on signals, arranges and directs care and shelter for victims.",
    ),
    "vt": (
        "Lotte Brinkerink",
        "0800 2000",
        "advies@veiligthuis-heidemeer.example",
        "",
        "receives",
        "Advice and reporting point; takes direction when the safety risk is high.",
    ),
    "avim": (
        "Daan Roerdink",
        "0900 8844",
        "avim@politie-heidemeer.example",
        "",
        "receives",
        "Investigates sexual and criminal exploitation; gives the hotel training.",
    ),
    "iszw": (
        "Isa Vlieland-Mos",
        "0800 5151",
        "arbeid@inspectie.example",
        "",
        "receives",
        "Investigates labour exploitation.",
    ),
    "zvh": (
        "Hanna Rietveld",
        "012 345 6720",
        "zvh@heidemeer.example",
        "",
        "advises",
        "Escalation when a case stalls; hosts the case meetings.",
    ),
    "opvang": (
        "Mirte Schuilenburg",
        "012 345 6730",
        "aanmelden@schuilhaven.example",
        "Eva Lindhout",
        "reports_to_police",
        "Categorical shelter for adult victims; trains its staff every year.",
    ),
    "kompas": (
        "Thijs Roosendaal",
        "012 345 6731",
        "info@kompasroos.example",
        "",
        R,
        "Outpatient help with money, work and aftercare.",
    ),
    "hotel": (
        "Wout Reigersberg",
        "012 345 6740",
        "receptie@zilverenreiger.example",
        "",
        R,
        "Reception staff trained to recognise signs; reports through the public form.",
    ),
    "park": (
        "Lieke Heidebloem",
        "012 345 6741",
        "beheer@heidebloem.example",
        "",
        "reports_to_police",
        "Holiday park with seasonal workers among its guests.",
    ),
    "school": (
        "Liv Eikenhorst",
        "012 345 6750",
        "zorg@lindecollege.example",
        "",
        R,
        "Mentors and the care coordinator watch for criminal exploitation of pupils.",
    ),
}
STAFF = {"hotel": 20, "park": 40}
SUBSIDISED = {"opvang": True, "kompas": False}  # subsidised; in the Expertgroep

EXTRA = [
    (
        "park",
        "Vakantiepark De Heidebloem",
        OrganisationKind.HOTEL,
        SubNetwork.SIGNALLERS,
        Ring.SECOND,
        "brakelveen",
    ),
    (
        "kompas",
        "Stichting Kompasroos (ambulante hulp)",
        OrganisationKind.CARE_PROVIDER,
        SubNetwork.VICTIM_CARE,
        Ring.FIRST,
        None,
    ),
]


def load_network(
    *,
    region: Region,
    municipalities: dict[str, Municipality],
    organisations: dict[str, Organisation],
    users: dict[str, User],
) -> None:
    orgs = dict(organisations)
    for key, name, kind, sub_network, ring, mun in EXTRA:
        orgs[key] = org.organisation_ensure(
            name=name,
            kind=kind,
            region=region,
            sub_network=sub_network,
            ring=ring,
            municipality=municipalities[mun] if mun else None,
        )
    if not PartnerProfile.objects.filter(organisation__region=region).exists():
        _profiles(_context(users["beheer"]), orgs)
    if not TrainingSession.objects.filter(municipality__region=region).exists():
        _trainings(_context(users["af.zorg"]), _context(users["af.wolderzijl"]), orgs)
    if not CareOffer.objects.filter(region=region).exists():
        _care_map(_context(users["zorgcoordinator"]), orgs)


def _context(user: User) -> AccessContext:
    return AccessContext.system(actor_for(user), "load_demo")


def _profiles(admin: AccessContext, orgs: dict[str, Organisation]) -> None:
    for key, (contact, phone, mail, af, route, what) in PROFILES.items():
        services.partner_profile_update(
            context=admin,
            organisation_id=orgs[key].pk,
            data=ProfileInput(
                contact_name=contact,
                contact_phone=phone,
                contact_email=mail,
                af_name=af,
                af_email=mail if af else "",
                route_place=route,
                role_in_approach=what,
                staff_count=STAFF.get(key),
                is_subsidised=key in SUBSIDISED,
                expertgroep_member=SUBSIDISED.get(key, False),
            ),
        )


def _trainings(
    brakelveen: AccessContext, wolderzijl: AccessContext, o: dict[str, Organisation]
) -> None:
    today = timezone.localdate()
    sessions = [
        (
            brakelveen,
            330,
            "Basistraining signalen mensenhandel",
            "professionals",
            "care",
            None,
            "CoMensha",
            True,
            [("opvang", 6), ("kompas", 4), ("swt", 8)],
        ),
        (
            brakelveen,
            250,
            "Mensenhandel herkennen in hotel en vakantiepark",
            "sector_staff",
            "hospitality",
            "avim",
            "",
            True,
            [("hotel", 8), ("park", 12)],
        ),
        (
            brakelveen,
            160,
            "De vijf vragen aan de balie",
            "municipal_staff",
            "brp",
            None,
            "FairWork",
            False,
            [("brp", 10), ("th", 5)],
        ),
        (
            brakelveen,
            60,
            "Herhaaltraining receptie",
            "sector_staff",
            "hospitality",
            "avim",
            "",
            True,
            [("hotel", 6)],
        ),
        (
            brakelveen,
            20,
            "Criminele uitbuiting van jongeren",
            "professionals",
            "school",
            "oov",
            "",
            False,
            [("school", 5)],
        ),
        (
            wolderzijl,
            200,
            "Basistraining signalen mensenhandel",
            "professionals",
            "care",
            "zc",
            "",
            True,
            [("wz_oov", 5), ("zc", 2)],
        ),
        (
            wolderzijl,
            90,
            "Voorlichting vrijwilligers taalcafé",
            "volunteers",
            "public",
            None,
            "Stichting Taalbrug",
            False,
            [("wz_oov", 3)],
        ),
    ]
    for context, days, title, audience, sector, trainer, name, route, attended in sessions:
        services.training_session_record(
            context=context,
            data=SessionInput(
                held_on=today - timedelta(days=days),
                title=title,
                audience=audience,
                sector=sector,
                trainer_organisation_id=o[trainer].pk if trainer else None,
                trainer_name=name,
                reporting_route_presented=route,
                attendances=[(o[k].pk, n) for k, n in attended],
            ),
        )


ALL = ("sexual", "labour", "criminal", "organ_removal")


def _care_map(keeper: AccessContext, o: dict[str, Organisation]) -> None:
    everyone = {"for_dutch": True, "for_eu": True, "for_non_eu": True}
    offers: list[tuple[str, str, str, tuple[str, ...], dict[str, Any]]] = [
        (
            "Categorale opvang volwassenen",
            "shelter",
            "opvang",
            ALL,
            {"for_adults": True, **everyone},
        ),
        (
            "Beschermde opvang minderjarigen",
            "shelter",
            "",
            ("sexual", "criminal"),
            {"for_minors": True, **everyone},
        ),
        (
            "Opvang minderjarigen na arbeidsuitbuiting",
            "shelter",
            "",
            ("labour",),
            {"for_minors": True, "for_dutch": True, "for_eu": True},
        ),
        (
            "Medische zorg en forensisch onderzoek",
            "medical",
            "",
            ALL,
            {"for_adults": True, "for_minors": True, **everyone},
        ),
        (
            "Traumabehandeling",
            "psychological",
            "",
            ("sexual", "labour", "criminal"),
            {"for_adults": True, "for_minors": True, **everyone},
        ),
        (
            "Schuldhulp en werk",
            "economic",
            "kompas",
            ALL,
            {"for_adults": True, "for_dutch": True, "for_eu": True},
        ),
        (
            "Gespecialiseerde advocaten",
            "legal",
            "",
            ALL,
            {"for_adults": True, "for_minors": True, **everyone},
        ),
        (
            "Hulp bij aangifte",
            "reporting",
            "zc",
            ALL,
            {"for_adults": True, "for_minors": True, **everyone},
        ),
        (
            "Nazorg en weerbaarheid",
            "resilience",
            "kompas",
            ("sexual", "labour"),
            {"for_adults": True, **everyone},
        ),
    ]
    providers = {"": "Jeugdzorg Heidemeer"}
    for title, domain, provider, forms, groups in offers:
        services.care_offer_add(
            context=keeper,
            data=CareOfferInput(
                title=title,
                domain=domain,
                form_codes=forms,
                provider_id=o[provider].pk if provider else None,
                provider_name=providers.get(provider, ""),
                contact="012 345 6799",
                **groups,
            ),
        )
